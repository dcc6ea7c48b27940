#!/usr/bin/env bash
# Runs the native mailscope-cli and the wasm one (under node) with the same arguments and
# requires byte-identical stdout, exit code and output files.
# Usage: compare_cli.sh NATIVE_CLI "NODE;ARGS;WASM_CLI.js" WORKDIR lesson ID | table
set -euo pipefail
native=$(realpath "$1")
IFS=';' read -r -a wasm <<<"$2"
wasm[-1]=$(realpath "${wasm[-1]}")
mkdir -p "$3"
work=$(realpath "$3")
what=$4
fail=0

# same NAME ARGS...: ARGS may name output files as OUT/x; each side runs in its own folder and
# writes them there (relative names, so that what the CLI prints about them is comparable).
same() {
  local name=$1; shift
  local d="$work/$name" side
  rm -rf "$d"
  for side in native wasm; do
    mkdir -p "$d/$side"
    local args=("${@//OUT\//}") rc=0
    if [ $side = native ]; then
      (cd "$d/$side" && "$native" "${args[@]}" >stdout 2>stderr) || rc=$?
    else
      (cd "$d/$side" && "${wasm[@]}" "${args[@]}" >stdout 2>stderr) || rc=$?
    fi
    echo "$rc" >"$d/$side/exit"
  done
  local f n=0
  for f in "$d"/native/*; do
    f=${f##*/}
    n=$((n + 1))
    if ! cmp -s "$d/native/$f" "$d/wasm/$f"; then
      echo "DIFFER: $name: $f (native vs wasm, $d)"
      if [ "$f" = stdout ] || [ "$f" = stderr ] || [ "$f" = exit ]; then
        diff <(head -c 200000 "$d/native/$f") <(head -c 200000 "$d/wasm/$f") | head -20 || true
      else
        cmp "$d/native/$f" "$d/wasm/$f" || true
      fi
      fail=1
    fi
  done
  [ -z "$(ls -A "$d/wasm" | grep -vxF -f <(ls -A "$d/native"))" ] || {
    echo "DIFFER: $name: wasm wrote files native did not"; fail=1; }
  echo "same $name: $n outputs compared ($(du -sb "$d/native" | cut -f1) bytes)"
}

case $what in
  lesson)
    id=$5
    same "$id-run" run "$id"
    same "$id-json" run "$id" --json
    same "$id-json-seed" run "$id" --seed 12345 --json
    same "$id-export" export "$id" --transcript OUT/transcript.txt --pcap OUT/capture.pcap \
      --sequence OUT/sequence.svg --mermaid OUT/sequence.mmd --html OUT/handout.html
    for w in pop3 imap; do
      same "$id-export-$w" export "$id" --world "$w" --transcript OUT/transcript.txt \
        --pcap OUT/capture.pcap --sequence OUT/sequence.svg --html OUT/handout.html
    done
    ;;
  table)
    same lessons lessons
    for fmt in md html json; do
      same "table-$fmt" table --format "$fmt" --explain
    done
    same choose choose --devices 3 --connection limited --offline yes --storage limited
    same bad-lesson run /nonexistent.json
    ;;
  *) echo "compare_cli.sh: unknown comparison '$what'" >&2; exit 2 ;;
esac
exit $fail

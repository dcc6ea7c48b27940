#!/usr/bin/env bash
# Runs a TLS probe natively, against Debian's libssl, and in wasm, against OpenSSL built from
# Debian's source by scripts/web.sh, and requires byte-identical output (every handshake byte,
# the key log, the negotiated cipher) for several seeds and each mode. Also requires that the
# same seed gives the same bytes twice and another seed other bytes, so that the comparison
# can fail. The probes: tls_probe.cpp (OpenSSL alone; modes tls13 and defaults) and
# tls_sim_probe.cpp (sim/tls; mode sim).
# Usage: tls_probe.sh "NODE;ARGS;WASM_PROBE.js" WORKDIR "MODE..." SOURCE.cpp...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
IFS=';' read -r -a wasm <<<"$1"
mkdir -p "$2"
work=$(realpath "$2")
read -r -a modes <<<"$3"
shift 3
sources=("$@")
native=$work/probe-native
# The native probe: compiled here (the native CMake build has no target for it), again only
# when a source or a header beside one changed.
stale=0
[ -x "$native" ] || stale=1
for f in "${sources[@]}"; do
  for g in "$f" "$(dirname "$f")"/*.hpp; do
    [ ! -e "$g" ] || [ "$g" -ot "$native" ] || stale=1
  done
done
if [ "$stale" = 1 ]; then
  # shellcheck disable=SC2046  # pkg-config prints several flags
  c++ -std=c++20 -O1 -Wall -Wextra -I"$here/../../sim" -o "$native" "${sources[@]}" \
    $(pkg-config --cflags --libs libssl libcrypto)
fi
fail=0
for mode in "${modes[@]}"; do
  for seed in 1 2 20261208; do
    n=$work/$mode-$seed.native w=$work/$mode-$seed.wasm
    "$native" "$seed" "$mode" >"$n" 2>"$n.err" ||
      { echo "native probe failed:"; cat "$n.err"; fail=1; continue; }
    "${wasm[@]}" "$seed" "$mode" >"$w" 2>"$w.err" ||
      { echo "wasm probe failed:"; cat "$w.err"; fail=1; continue; }
    if cmp -s "$n" "$w"; then
      # With the library each side says it is (the raw probe: the OpenSSL versions).
      echo "same $mode seed $seed: $(grep -c '^[CS]>' "$n") flights, $(tail -1 "$n")" \
           "($(sed 's/^tls-[a-z-]*probe: //;q' "$n.err") / $(sed 's/^tls-[a-z-]*probe: //;q' "$w.err"))"
    else
      echo "DIFFER: $mode seed $seed (native $n, wasm $w):"
      diff <(cut -c1-160 "$n") <(cut -c1-160 "$w") | head -10 || true
      fail=1
    fi
  done
  # Determinism natively, and a seed that matters.
  cmp -s "$work/$mode-1.native" <("$native" 1 "$mode" 2>/dev/null) ||
    { echo "DIFFER: $mode seed 1 natively, run twice"; fail=1; }
  ! cmp -s "$work/$mode-1.native" "$work/$mode-2.native" ||
    { echo "SAME: $mode seeds 1 and 2 gave the same bytes"; fail=1; }
done
exit $fail

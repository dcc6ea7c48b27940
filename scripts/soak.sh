#!/usr/bin/env bash
# Soak benchmark of live mode (not a test): `mailscope-cli serve --save-trace` under the load of
# tests/bench/soak_client.cpp (CLIENTS threads of LOGIN/SELECT/FETCH/STORE/EXPUNGE/APPEND/
# LOGOUT sessions), with the server's resident memory sampled every INTERVAL seconds.
# docs/performance.md records a run. Everything runs at nice 19: the machine may be shared.
#   usage: scripts/soak.sh [SECONDS [CLIENTS [INTERVAL]]]   (default 600 10 30)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600} clients=${2:-10} interval=${3:-30}
build=${BUILD_DIR:-build}
cmake --build "$build" --target mailscope-cli mailscope-soak >/dev/null
dir=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
nice -n 19 "$build/sim/mailscope-cli" serve --imap-port 0 --pop3-port 0 --smtp-port 0 \
  --save-trace "$dir/trace.jsonl" >"$dir/out" 2>&1 &
server=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^listening imap 127.0.0.1:\([0-9]*\)$/\1/p' "$dir/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "soak: the server did not start"; cat "$dir/out"; exit 1; }
nice -n 19 "$build/tests/bench/mailscope-soak" "$port" "$secs" "$clients" >"$dir/load" &
load=$!
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "| time (s) | server RSS (MB) | trace file (MB) |"
echo "|---:|---:|---:|"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  t=$(( $(date +%s) - start ))
  echo "| $t | $(rss) | $(du -m "$dir/trace.jsonl" | cut -f1) |"
  sleep "$interval"
done
wait "$load" || true
echo "| $(( $(date +%s) - start )) (load ended) | $(rss) | $(du -m "$dir/trace.jsonl" | cut -f1) |"
echo
echo "load: $(cat "$dir/load")"
kill -TERM "$server"
wait "$server" || true
server=""
echo "trace file: $(wc -l <"$dir/trace.jsonl") records"

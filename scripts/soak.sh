#!/usr/bin/env bash
# Soak benchmark of live mode (not a test): `mailscope-cli serve --save-trace` under the load of
# tests/bench/soak_client.cpp (CLIENTS threads of LOGIN/SELECT/FETCH/STORE/EXPUNGE/APPEND/
# LOGOUT sessions), with the server's resident memory sampled every INTERVAL seconds.
# docs/performance.md records a run. Everything runs at nice 19: the machine may be shared.
# With --gui the server is the GUI's live mode (`mailscope --live`, under xvfb-run when there
# is no display), whose live view keeps its own bounded window (gui/live_display.hpp).
#   usage: scripts/soak.sh [--gui] [SECONDS [CLIENTS [INTERVAL]]]   (default 600 10 30)
set -euo pipefail
cd "$(dirname "$0")/.."
gui=0
if [ "${1:-}" = --gui ]; then gui=1; shift; fi
secs=${1:-600} clients=${2:-10} interval=${3:-30}
build=${BUILD_DIR:-build}
cmake --build "$build" --target mailscope-cli mailscope-soak $([ $gui = 1 ] && echo mailscope) >/dev/null
dir=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
port=""
if [ $gui = 1 ]; then
  # The GUI takes fixed ports; a free one is picked by binding to port 0 first.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  x=()
  [ -z "${DISPLAY:-}" ] && x=(xvfb-run -a -s "-screen 0 1280x720x24")
  nice -n 19 "${x[@]}" "$build/gui/mailscope" --live --imap-port "$port" --pop3-port 0 \
    --smtp-port 0 >"$dir/out" 2>&1 &
  for _ in $(seq 300); do
    server=$(pgrep -n -f "^$build/gui/mailscope --live --imap-port $port" || true)
    [ -n "$server" ] && python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" \
      2>/dev/null && break
    sleep 0.1
  done
  trace() { echo "(none)"; }
else
  nice -n 19 "$build/cli/mailscope-cli" serve --imap-port 0 --pop3-port 0 --smtp-port 0 \
    --save-trace "$dir/trace.jsonl" >"$dir/out" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening imap 127.0.0.1:\([0-9]*\)$/\1/p' "$dir/out")
    [ -n "$port" ] && break
    sleep 0.1
  done
  trace() { du -m "$dir/trace.jsonl" | cut -f1; }
fi
[ -n "$port" ] && [ -n "$server" ] || { echo "soak: the server did not start"; cat "$dir/out"; exit 1; }
nice -n 19 "$build/tests/bench/mailscope-soak" "$port" "$secs" "$clients" >"$dir/load" &
load=$!
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "| time (s) | server RSS (MB) | trace file (MB) |"
echo "|---:|---:|---:|"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  t=$(( $(date +%s) - start ))
  echo "| $t | $(rss) | $(trace) |"
  sleep "$interval"
done
wait "$load" || true
echo "| $(( $(date +%s) - start )) (load ended) | $(rss) | $(trace) |"
echo
echo "load: $(cat "$dir/load")"
kill -TERM "$server"
wait "$server" 2>/dev/null || true
server=""
[ $gui = 1 ] || echo "trace file: $(wc -l <"$dir/trace.jsonl") records"

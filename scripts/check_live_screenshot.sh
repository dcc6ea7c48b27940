#!/usr/bin/env bash
# Live mode in the GUI: starts `mailscope --live` under Xvfb on free loopback ports (through
# check_screenshot.sh, which also checks the PNG's size and that it is not blank), sends a
# message with Python's smtplib and runs an imaplib session that names itself with IMAP ID
# (login, select, fetch, store, logout), waits for the screenshot taken once both sessions
# have ended, and checks that the IMAP world is drawn (its accent colour, as
# check_lesson_shots.sh does).
# Usage: check_live_screenshot.sh MAILSCOPE_BINARY OUT.png [WIDTH HEIGHT]
set -euo pipefail
bin=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
live=$here/../tests/live
w=${3:-1280} h=${4:-720}
log=$(mktemp)
trap 'rm -f "$log"; [ -n "${gui:-}" ] && kill "$gui" 2>/dev/null || true' EXIT
"$here/check_screenshot.sh" "$bin" "$out" $w $h --live --imap-port 0 --pop3-port 0 \
  --smtp-port 0 --shot-after-sessions 2 --shot-at-unit "FETCH (FLAGS (" >"$log" 2>&1 &
gui=$!
for _ in $(seq 1 300); do
  [ "$(grep -c '^listening ' "$log")" -ge 3 ] && break
  kill -0 "$gui" 2>/dev/null || { cat "$log"; echo "the GUI exited before listening"; exit 1; }
  sleep 0.1
done
port() { sed -n "s/^listening $1 127\.0\.0\.1:\([0-9]*\)$/\1/p" "$log"; }
imap=$(port imap) smtp=$(port smtp)
[ -n "$imap" ] && [ -n "$smtp" ] || { cat "$log"; echo "no listening lines"; exit 1; }
timeout 30 python3 "$live/smtp_send.py" "$smtp" "Hello from smtplib"
timeout 30 python3 "$live/imap_id.py" "$imap" pytest
status=0
wait "$gui" || status=$?
gui=
cat "$log"
[ "$status" -eq 0 ] || { echo "check_screenshot.sh failed ($status)"; exit 1; }
# The IMAP world's accent (title mark, server frame, storage bar, transcript heading).
n=$(convert "$out" -alpha off -fuzz 4% -fill black +opaque "rgb(60,140,235)" \
      -fill white -opaque "rgb(60,140,235)" -format '%[fx:round(mean*w*h)]' info:)
[ "$n" -ge 850 ] || { echo "$out: the IMAP world is not drawn ($n pixels)"; exit 1; }
echo "$out: live IMAP world drawn ($n accent pixels)"

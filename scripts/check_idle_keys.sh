#!/usr/bin/env bash
# Idle and input: an idle, paused mailscope window sleeps (its CPU over 5 s stays under 2%),
# and a key tap shorter than a frame still acts (xdotool taps Ctrl+S: the screenshot appears).
# Usage: check_idle_keys.sh MAILSCOPE WORKDIR   (runs itself under xvfb-run when needed)
set -euo pipefail
bin=$(readlink -f "$1"); work=$2
if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s "-screen 0 1600x900x24" "$0" "$@"
fi
command -v xdotool >/dev/null || { echo "xdotool is missing (scripts/deps.sh installs it)"; exit 2; }
rm -rf "$work"; mkdir -p "$work/config"; cd "$work"
XDG_CONFIG_HOME="$work/config" "$bin" --lesson synchronisation --step 2 --width 1600 --height 900 \
  > "$work/out.txt" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
win=$(timeout 30 xdotool search --sync --name "Mailscope" | head -1)
sleep 3  # start-up and the first frames
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); sleep 5; t1=$(ticks)
cpu=$(( (t1 - t0) * 100 / (5 * hz) ))
echo "idle paused window: $((t1 - t0)) ticks of CPU in 5 s (${cpu}%)"
if (( cpu >= 2 )); then echo "FAIL: an idle window should sleep"; exit 1; fi
# A tap (press and release 1 ms apart) while the window sleeps: both events land in one frame.
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool key --delay 1 ctrl+s
for _ in $(seq 1 50); do
  ls mailscope-synchronisation-*.png >/dev/null 2>&1 && break
  sleep 0.1
done
if ! ls mailscope-synchronisation-*.png >/dev/null 2>&1; then
  echo "FAIL: Ctrl+S tapped once did not save a screenshot"; cat "$work/out.txt"; exit 1
fi
echo "Ctrl+S tap saved $(ls mailscope-synchronisation-*.png)"

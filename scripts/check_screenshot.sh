#!/usr/bin/env bash
# Renders the GUI under Xvfb with its screenshot option and checks the PNG: the requested
# size, not blank (many distinct colours), and the output of the run printed on failure.
# Usage: check_screenshot.sh MAILSCOPE_BINARY OUT.png WIDTH HEIGHT [mailscope args...]
set -euo pipefail
bin=$1 out=$2 w=$3 h=$4
shift 4
rm -f "$out"
xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$bin" --width "$w" --height "$h" --screenshot "$out" "$@"
[ -s "$out" ] || { echo "no screenshot written to $out"; exit 1; }
size=$(identify -format '%w %h' "$out")
[ "$size" = "$w $h" ] || { echo "screenshot is $size, expected $w $h"; exit 1; }
colours=$(identify -format '%k' "$out")
[ "$colours" -ge 16 ] || { echo "screenshot looks blank ($colours colours)"; exit 1; }
echo "screenshot $out: ${size/ /x}, $colours colours"

#!/usr/bin/env bash
# Renders the GUI under Xvfb with its screenshot option and checks the PNG: the requested
# size, not blank (many distinct colours), and the output of the run printed on failure. Then
# draws the same view through the layout audit (mailscope --layout-audit, gui/harness/audit.hpp)
# and fails on any item cut by its panel or overlapping an unrelated one, so that a picture
# that is the right size but broken does not pass. Live runs are not audited: their sessions
# happen in real time and would not be the same a second time. SHOT_NO_AUDIT=REASON leaves the
# audit out and says why (for a view with a known defect, named in tests/CMakeLists.txt).
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

case " $* " in *" --live "* | *" --connect-out "*) exit 0 ;; esac
if [ -n "${SHOT_NO_AUDIT:-}" ]; then
  echo "layout audit not run: $SHOT_NO_AUDIT"
  exit 0
fi
report=${out%.png}-audit.json
rm -f "$report"
rc=0
xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$bin" --width "$w" --height "$h" \
  --layout-audit "$report" "$@" || rc=$?
[ -s "$report" ] || { echo "layout audit wrote no report ($report), exit status $rc"; exit 1; }
if [ "$rc" -ne 0 ]; then
  # Which items: the owners of each defect, as the audit names them.
  python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
items = r["items"]
for d in r["overlaps"]:
    if "clipped" in d:
        i = items[d["clipped"]]
        print("layout audit: clipped %s %r at %s" % (i["owner"], i["text"], i["rect"]))
    else:
        a, b = items[d["a"]], items[d["b"]]
        print("layout audit: %s %r overlaps %s %r" % (a["owner"], a["text"], b["owner"], b["text"]))
PY
  echo "layout audit of the screenshot's view found defects (report: $report)"
  exit 1
fi

#!/usr/bin/env bash
# The layout audit's figures of one lesson at 1920x1080 and 3840x2160, normal and presenter
# mode, in one process (Xvfb reports a content scale of 1.0): at 3840x2160 the interface's text,
# the menu bar and the lesson panel are twice their 1920x1080 size, and so is the presenter's
# world text. Usage: gui_interface_scale.sh MAILSCOPE REPORT.json
set -euo pipefail
app=$1 report=$2
xvfb-run -a -s "-screen 0 3840x2160x24" "$app" --layout-audit-sweep "$report" \
  --lesson synchronisation --sweep-sizes 1920x1080,3840x2160 --sweep-modes normal,presenter \
  >/dev/null || true  # defects are the sweep test's business; the figures are this one's
# figure FIELD WIDTH PRESENTER: the value of the first step's case
figure() {
  jq -r --arg f "$1" --argjson w "$2" --argjson p "$3" \
    '[.figures[] | select(.width == $w and .presenter == $p and .step == 1)][0].figures[$f]' \
    "$report"
}
fail=0
check() {  # NAME WIDTH-1080 VALUE-1080 VALUE-2160
  local ratio
  ratio=$(jq -n --argjson a "$3" --argjson b "$4" 'if $a > 0 then $b / $a else 0 end')
  printf '%-34s 1920x1080: %-8s 3840x2160: %-8s ratio %.2f\n' "$1" "$3" "$4" "$ratio"
  if ! jq -e -n --argjson r "$ratio" '$r >= 1.9 and $r <= 2.1' >/dev/null; then
    echo "  not twice as large" >&2
    fail=1
  fi
}
check "interface text px (normal)" 1920 "$(figure ui_px 1920 false)" "$(figure ui_px 3840 false)"
check "menu bar height (normal)" 1920 "$(figure menu_h 1920 false)" "$(figure menu_h 3840 false)"
check "lesson panel width (normal)" 1920 "$(figure lesson_w 1920 false)" "$(figure lesson_w 3840 false)"
check "interface text px (presenter)" 1920 "$(figure ui_px 1920 true)" "$(figure ui_px 3840 true)"
check "smallest world text (presenter)" 1920 "$(figure world_text_min_px 1920 true)" \
  "$(figure world_text_min_px 3840 true)"
exit $fail

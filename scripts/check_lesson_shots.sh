#!/usr/bin/env bash
# Renders one lesson at each of its narrative steps (mailscope --step K --screenshot) under
# Xvfb and checks every PNG: the requested size, not blank, and the colour of each world it
# shows present (the POP3 and IMAP accents; every colour also carries a label in the GUI).
# Usage: check_lesson_shots.sh MAILSCOPE_BINARY LESSON_FILE OUT_DIR
set -euo pipefail
bin=$1 lesson=$2 out=$3
w=1280 h=720
mkdir -p "$out"
read -r id steps worlds < <(python3 -c '
import json, sys
L = json.load(open(sys.argv[1]))
print(L["id"], len(L.get("steps", [])), ",".join(L.get("worlds", ["pop3", "imap"])))' "$lesson")
[ "$steps" -gt 0 ] || { echo "$id has no steps"; exit 1; }
count() {  # pixels of colour $2 (within 4%) in image $1
  convert "$1" -alpha off -fuzz 4% -fill black +opaque "$2" -fill white -opaque "$2" \
    -format '%[fx:round(mean*w*h)]' info:
}
for k in $(seq 1 "$steps"); do
  png="$out/$id-step$k.png"
  xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$bin" --lesson "$lesson" --step "$k" \
    --width $w --height $h --frames 20 --screenshot "$png" >/dev/null
  size=$(identify -format '%w %h' "$png")
  [ "$size" = "$w $h" ] || { echo "$png is $size"; exit 1; }
  colours=$(identify -format '%k' "$png")
  [ "$colours" -ge 16 ] || { echo "$png looks blank ($colours colours)"; exit 1; }
  # A world's panel (title mark, server frame, storage bar, transcript) shows its accent on
  # at least 850 pixels (about 1,000 with an empty server); the legend alone, present in every shot, has a few hundred.
  for pw in "pop3 rgb(240,140,40)" "imap rgb(60,140,235)"; do
    set -- $pw
    n=$(count "$png" "$2")
    case ",$worlds," in
      *",$1,"*) [ "$n" -ge 850 ] || { echo "$png: the $1 world is not drawn ($n pixels)"; exit 1; } ;;
      *) [ "$n" -lt 850 ] || { echo "$png: a $1 world is drawn but not in the lesson ($n)"; exit 1; } ;;
    esac
  done
done
echo "$id: $steps step(s) rendered and checked"

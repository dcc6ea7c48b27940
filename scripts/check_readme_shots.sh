#!/usr/bin/env bash
# Retakes the README's screenshots (docs/*.png) with the built app: the lessons at 1280x720, a
# classroom's common projector size, and presenter mode at 1920x1080. Checks each PNG's size;
# look at them before committing. Usage: scripts/check_readme_shots.sh [build/gui/mailscope]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/gui/mailscope}
shot() {
  local out=$1 w=$2 h=$3; shift 3
  xvfb-run -a -s "-screen 0 3840x2160x24" "$bin" --width "$w" --height "$h" --frames 60 \
    --screenshot "$out" "$@"
  identify -format '%w %h' "$out" | grep -qx "$w $h" || { echo "$out is not ${w}x${h}"; exit 1; }
}
shot docs/mail-storage.png 1280 720 --lesson mail-storage
shot docs/mail-storage-mid.png 1280 720 --lesson mail-storage --time 10.6
shot docs/synchronisation.png 1280 720 --lesson synchronisation --time 45 --select 1
shot docs/deleted-mail.png 1280 720 --lesson deleted-mail --time 20.09 --bottom sequence
shot docs/offline-access.png 1280 720 --lesson offline-access --step 4 --select 1
shot docs/presenter.png 1920 1080 --lesson synchronisation --step 3 --select 1 --presenter
shot docs/presenter-1024x768.png 1024 768 --lesson synchronisation --step 3 --select 1 --presenter

#!/bin/bash
# Runs inside the clean Debian root that scripts/package-test.sh makes (as root, /proc and
# /dev mounted): installs the package with apt-get as a user would, uses it, removes it.
# Usage: package-in-root.sh DEB VERSION
set -euo pipefail
deb=$1 version=$2
# Says which check failed, so that a red CI run explains itself.
trap 'echo "package-in-root: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "$deb" >/dev/null
echo "installed: $(dpkg-query -W -f='${Package} ${Version}' mailscope)"

mailscope --version | grep -q "^mailscope $version" || { echo "mailscope --version"; exit 1; }
mailscope-cli --version | grep -q "^mailscope-cli $version" || { echo "mailscope-cli --version"; exit 1; }
mailscope --version

# Every lesson, from the installed lessons (there is no source tree in this root).
n=0
for l in $(mailscope-cli lessons --ids); do
  mailscope-cli run "$l" >/dev/null || { echo "lesson $l failed"; exit 1; }
  n=$((n + 1))
done
[ "$n" -ge 10 ] || { echo "only $n lessons found"; exit 1; }
test -f /usr/share/mailscope/lessons/mail-storage.json
echo "ran $n lessons from /usr/share/mailscope/lessons"

# The menu entry and the icon it names, in the hicolor theme desktops search.
grep -qx 'Icon=mailscope' /usr/share/applications/mailscope.desktop
grep -qx 'Exec=mailscope' /usr/share/applications/mailscope.desktop
for s in 16 22 24 32 48 64 128 256 512; do
  test -f "/usr/share/icons/hicolor/${s}x${s}/apps/mailscope.png"
done
test -f /usr/share/icons/hicolor/scalable/apps/mailscope.svg
test -f /usr/share/metainfo/org.mailscope.Mailscope.metainfo.xml
# (grep reads the whole page: an early exit would make zcat's SIGPIPE fail the pipeline)
for p in mailscope mailscope-cli; do
  zcat "/usr/share/man/man1/$p.1.gz" | grep -c 'MAILSCOPE_LESSONS_DIR' >/dev/null
done
echo "menu entry, icons, metainfo and man pages in place"

# Bash completion of subcommands and lesson ids.
source /usr/share/bash-completion/completions/mailscope-cli
COMP_WORDS=(mailscope-cli ex); COMP_CWORD=1; _mailscope_cli
[ "${COMPREPLY[*]}" = export ] || { echo "completion of 'ex': ${COMPREPLY[*]}"; exit 1; }
COMP_WORDS=(mailscope-cli run mail-st); COMP_CWORD=2; _mailscope_cli
[ "${COMPREPLY[*]}" = mail-storage ] || { echo "completion of 'mail-st': ${COMPREPLY[*]}"; exit 1; }
echo "bash completes subcommands and lesson ids"

# Removal leaves none of the package's files.
dpkg-query -L mailscope > /tmp/files
apt-get purge -y -q mailscope >/dev/null
if dpkg-query -W -f='${Status}' mailscope 2>/dev/null | grep -q 'ok installed'; then
  echo "still installed after purge"; exit 1
fi
left=0
while read -r f; do
  if [ -f "$f" ] || [ -L "$f" ]; then echo "left behind: $f"; left=1; fi
done < /tmp/files
[ "$left" = 0 ]
echo "removed cleanly"

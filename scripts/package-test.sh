#!/usr/bin/env bash
# Checks the Debian package as a teacher's lab machine would meet it: lintian reports no
# error; the desktop entry and AppStream metainfo validate; then, in a clean Debian 12 root
# made with mmdebstrap, `apt-get install ./mailscope_*.deb` pulls in exactly what its
# Depends name, every lesson runs from /usr/share/mailscope/lessons, `mailscope --version`
# prints the version, the menu entry's icon and the man pages are where desktops look, bash
# completes lesson names, and `apt-get purge` leaves none of the package's files behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/package.sh >/dev/null
deb=$(ls build/package/mailscope_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

echo "== lintian $deb"
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" || fail "lintian reports errors"

echo "== desktop-file-validate, appstreamcli validate"
desktop-file-validate assets/mailscope.desktop || fail "desktop entry"
appstreamcli validate --no-net build/assets/org.mailscope.Mailscope.metainfo.xml ||
  fail "metainfo"
head -1 assets/debian/changelog | grep -q "^mailscope ($version)" ||
  fail "assets/debian/changelog's first entry is not version $version"

echo "== Depends: $(dpkg-deb -f "$deb" Depends)"
[ -n "$(dpkg-deb -f "$deb" Depends)" ] || fail "no Depends computed"

echo "== clean Debian 12 root: install, run, remove"
root=build/package/root
rm -rf "$root"
# The hooks run in the finished root with /proc and /dev mounted; a failing hook fails it.
mmdebstrap --variant=apt --mode=root --quiet bookworm "$root" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main" \
  --customize-hook="copy-in $deb scripts/package-in-root.sh /tmp" \
  --customize-hook="chroot \"\$1\" bash /tmp/package-in-root.sh /tmp/$(basename "$deb") $version" ||
  fail "install, run and removal in a clean Debian 12 root"
rm -rf "$root"
echo "package-test: $deb passed (lintian, desktop entry, metainfo, install, every lesson, removal)"

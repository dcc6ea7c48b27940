#!/usr/bin/env bash
# CTest: `cmake --install` into a scratch prefix gives programs that work away from the source
# tree: they find the installed lessons, answer --version, and, when the lessons are gone,
# say every place they looked in. Usage: check_install.sh BUILD_DIR VERSION
# The prefix is a temporary folder outside the build tree: a program run from inside its
# build tree would (rightly) use the source tree's lessons.
set -euo pipefail
build=$1 version=$2
prefix=$(mktemp -d /tmp/mailscope-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
unset MAILSCOPE_LESSONS_DIR
cli=$prefix/bin/mailscope-cli
"$cli" --version | grep -q "^mailscope-cli $version" || { echo "mailscope-cli --version"; exit 1; }
if [ -x "$prefix/bin/mailscope" ]; then
  env -u DISPLAY -u WAYLAND_DISPLAY "$prefix/bin/mailscope" --version |
    grep -q "^mailscope $version" || { echo "mailscope --version"; exit 1; }
fi
"$cli" run mail-storage >/dev/null || { echo "installed mailscope-cli run mail-storage failed"; exit 1; }
"$cli" lessons --ids | grep -qx mail-storage
for f in share/applications/mailscope.desktop share/icons/hicolor/48x48/apps/mailscope.png \
         share/icons/hicolor/scalable/apps/mailscope.svg share/metainfo/org.mailscope.Mailscope.metainfo.xml \
         share/man/man1/mailscope-cli.1.gz share/bash-completion/completions/mailscope-cli \
         share/mailscope/lessons/mail-storage.json; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
# Without lessons the error lists the places looked in, and the install prefix among them.
mv "$prefix/share/mailscope/lessons" "$prefix/share/mailscope/lessons.away"
if out=$("$cli" run mail-storage 2>&1); then echo "ran without lessons"; exit 1; fi
echo "$out" | grep -q "looked in:" || { echo "error does not list the places: $out"; exit 1; }
echo "$out" | grep -qF "$prefix/share/mailscope/lessons (next to the program)" ||
  { echo "error does not name the prefix: $out"; exit 1; }
echo "installed programs find their lessons and say where they looked"

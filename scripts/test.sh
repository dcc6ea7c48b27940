#!/usr/bin/env bash
# Builds Mailscope and runs every test: unit, protocol transcripts, lessons, CLI, live mode
# against real clients (curl, Python, fetchmail, Dovecot) and the GUI screenshot tests under
# xvfb-run; then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and a
# short smoke run of every fuzz target; and the Debian package's checks (lintian, desktop
# entry, metainfo, install/run/remove in a clean Debian root: scripts/package-test.sh); and the
# WebAssembly build's tests (scripts/web-test.sh).
# Installs the Debian packages it needs when missing.
# MAILSCOPE_QUICK=1 skips the sanitizer and fuzz stages.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
echo "== Debian package"
scripts/package-test.sh
echo "== web build (WebAssembly: node suite, byte identity with native, headless Chromium)"
scripts/web-test.sh
if [ "${MAILSCOPE_QUICK:-0}" != 1 ]; then
  echo "== sanitizers (ASan + UBSan)"
  scripts/sanitize.sh
  echo "== fuzz smoke (5 s per target)"
  scripts/fuzz.sh 5
fi

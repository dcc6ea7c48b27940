#!/usr/bin/env bash
# The web stage of the test command: builds the browser version (scripts/web.sh) and runs its
# tests: the sim Catch2 suite under node, every lesson's trace and exports from the wasm CLI
# against the native CLI byte for byte, and the page in headless Chromium (Selenium +
# chromium-driver; tests/web/browser_test.py). Needs the native build in ./build (for the
# comparison it builds mailscope-cli there if missing). MAILSCOPE_WEB_SHOTS=1 also rewrites the
# README's screenshots of the page (docs/web-*.png) from the browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh web-test
if [ ! -x build/cli/mailscope-cli ]; then
  . scripts/ccache.sh
  [ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${ccache_args[@]}" >/dev/null
  cmake --build build -j"$(nproc)" --target mailscope-cli
fi
scripts/web.sh
shots=()
[ "${MAILSCOPE_WEB_SHOTS:-0}" = 1 ] && shots=(-DWEB_SHOTS="$PWD/docs")
cmake -S cmake/web -B build-web/cmake -DWEB_SHOTS="" "${shots[@]}" >/dev/null
(cd build-web/cmake && ctest --output-on-failure -j"$(nproc)")
tests/web/a11y_test.sh build-web/site  # the text view: axe-core, the accessibility tree, keys on the twin

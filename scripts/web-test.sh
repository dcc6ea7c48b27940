#!/usr/bin/env bash
# The web stage of the test command: builds the browser version (scripts/web.sh) and runs its
# tests: the sim Catch2 suite under node, every lesson's trace and exports from the wasm CLI
# against the native CLI byte for byte, and the page in headless Chromium (Selenium +
# chromium-driver; tests/web/browser_test.py). Needs the native build in ./build (for the
# comparison it builds mailscope-cli there if missing). MAILSCOPE_WEB_SHOTS=1 also rewrites the
# README's screenshots of the page (docs/web-*.png) from the browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(nodejs chromium chromium-driver python3-selenium python3-pil tshark)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/web-test.sh: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -x build/sim/mailscope-cli ]; then
  [ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target mailscope-cli
fi
scripts/web.sh
shots=()
[ "${MAILSCOPE_WEB_SHOTS:-0}" = 1 ] && shots=(-DWEB_SHOTS="$PWD/docs")
cmake -S cmake/web -B build-web/cmake -DWEB_SHOTS="" "${shots[@]}" >/dev/null
(cd build-web/cmake && ctest --output-on-failure -j"$(nproc)")

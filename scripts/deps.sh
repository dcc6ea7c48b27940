#!/usr/bin/env bash
# Installs the Debian packages Mailscope needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|package|web|web-test|all]   (build: compile + run the GUI;
# test: also the headless window tools, the real mail clients the live-mode tests start and
# the package checks; package: what scripts/package.sh needs to make and check the .deb; web:
# the browser build, scripts/web.sh; web-test: also node, Chromium and its driver).
set -euo pipefail
want=${1:-build}
build_pkgs=(build-essential cmake pkgconf libimgui-dev libstb-dev libglfw3-dev python3-glad
  catch2 nlohmann-json3-dev libcli11-dev libvmime-dev libasio-dev libpcap-dev libssl-dev ccache
  fonts-dejavu-core fonts-font-awesome librsvg2-bin help2man)
package_pkgs=(dpkg-dev file fakeroot lintian desktop-file-utils appstream mmdebstrap)
test_pkgs=(xvfb xauth libgl1-mesa-dri curl fetchmail dovecot-imapd dovecot-pop3d tshark chromium
  python3 imagemagick poppler-utils libbenchmark-dev clang libclang-rt-14-dev xdotool linux-perf)
web_pkgs=(emscripten ccache cmake make flex bison dpkg-dev python3 libimgui-dev libstb-dev catch2
  nlohmann-json3-dev libcli11-dev fonts-dejavu-core fonts-font-awesome)
web_test_pkgs=(nodejs chromium chromium-driver python3-selenium python3-pil tshark)
case $want in
  build) pkgs=("${build_pkgs[@]}") ;;
  package) pkgs=("${build_pkgs[@]}" "${package_pkgs[@]}") ;;
  web) pkgs=("${web_pkgs[@]}") ;;
  web-test) pkgs=("${web_pkgs[@]}" "${web_test_pkgs[@]}") ;;
  test | all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${package_pkgs[@]}") ;;
  *) echo "scripts/deps.sh: unknown set '$want' (build, test, package, web, web-test or all)" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/deps.sh: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

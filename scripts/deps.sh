#!/usr/bin/env bash
# Installs the Debian packages Mailscope needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|all]   (build: compile + run the GUI; test: also the
# headless window tools and the real mail clients the live-mode tests start).
set -euo pipefail
want=${1:-build}
build_pkgs=(build-essential cmake pkgconf libimgui-dev libstb-dev libglfw3-dev python3-glad
  catch2 nlohmann-json3-dev libvmime-dev libasio-dev libpcap-dev
  fonts-dejavu-core fonts-font-awesome)
test_pkgs=(xvfb xauth libgl1-mesa-dri curl fetchmail dovecot-imapd dovecot-pop3d tshark
  python3 imagemagick libbenchmark-dev clang libclang-rt-14-dev)
pkgs=("${build_pkgs[@]}")
[ "$want" = build ] || pkgs+=("${test_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/deps.sh: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

#!/usr/bin/env bash
# Builds the Debian package build/package/mailscope_<version>_amd64.deb with CPack from the
# normal build in ./build (nothing is compiled twice: the same binaries the tests ran are
# installed, stripped). Its Depends are computed from the binaries by dpkg-shlibdeps.
# Install it with: apt-get install ./build/package/mailscope_*_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh package
scripts/build.sh
rm -rf build/package/_CPack_Packages
(cd build && cpack -G DEB -B "$PWD/package" >/dev/null)
deb=$(ls build/package/mailscope_*_amd64.deb)
echo "$deb"

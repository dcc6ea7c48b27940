#!/usr/bin/env bash
# Builds Mailscope and runs every test (unit, protocol transcripts, lessons, CLI, and the GUI
# screenshot tests under xvfb-run). Installs the Debian packages it needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"

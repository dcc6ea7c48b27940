#!/usr/bin/env bash
# Builds Mailscope and starts the GUI on the default lesson. Without a display the GUI says so
# and runs the lesson headless, printing its transcript. Arguments go to `mailscope`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
# Only what the app needs (the GUI and its icon), not the test suite: a first start is minutes
# shorter.
BUILD_TARGETS=mailscope scripts/build.sh
exec ./build/gui/mailscope "$@"

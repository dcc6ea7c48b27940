#!/usr/bin/env bash
# Configures and builds Mailscope in ./build (RelWithDebInfo, through ccache when installed).
# Extra arguments go to cmake.
set -euo pipefail
# Environment: BUILD_TARGETS, the targets to build (default all).
cd "$(dirname "$0")/.."
. scripts/ccache.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${ccache_args[@]}" "$@" >/dev/null
# shellcheck disable=SC2086  # a list of target names
cmake --build build -j"$(nproc)" ${BUILD_TARGETS:+--target $BUILD_TARGETS}

#!/usr/bin/env bash
# Builds Mailscope with AddressSanitizer (leaks included) and UndefinedBehaviorSanitizer in
# ./build-asan (gcc, no GUI, no benchmarks) and runs the test suite there, the slow tier
# excepted. Any sanitizer finding aborts its test, so the run fails. Extra arguments go to
# ctest (e.g. -R imap). SANITIZE_BUILD_ONLY=1: build, run nothing (scripts/test.sh builds ahead).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
. scripts/ccache.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "${ccache_args[@]}" \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DMAILSCOPE_SANITIZE=address,undefined -DMAILSCOPE_GUI=OFF -DMAILSCOPE_BENCH=OFF \
  -DMAILSCOPE_TESTS=ON >/dev/null
cmake --build build-asan -j"${SANITIZE_JOBS:-$(nproc)}"
[ "${SANITIZE_BUILD_ONLY:-0}" = 0 ] || exit 0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
cd build-asan
# The slow tier (the long random play) runs in the native suite; under the sanitizers it would
# outgrow its time bound.
ctest --output-on-failure -j"${SANITIZE_JOBS:-$(nproc)}" -LE slow "$@"

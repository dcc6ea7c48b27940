#!/usr/bin/env bash
# Builds and runs the benchmarks (not part of the test run). Extra arguments go to
# mailscope-bench, e.g. --benchmark_filter=Trace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
./build/tests/bench/mailscope-bench "$@"

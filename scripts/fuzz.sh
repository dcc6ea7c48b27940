#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) in ./build-fuzz with clang, ASan and UBSan, and runs
# each for SECONDS (default 10) on a scratch copy of its seed corpus (tests/fuzz/corpus/<name>).
# Fails if any target finds a crash, a sanitizer report, a leak, a timeout or an out-of-memory.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      (targets without the fuzz- prefix)
# Environment: FUZZ_JOBS (build parallelism, default nproc), FUZZ_PARALLEL (targets run at once,
#              default nproc), FUZZ_ARGS (extra libFuzzer flags), FUZZ_OUT (where runs and crash
#              files go, default a fresh temp dir), FUZZ_BUILD_ONLY=1 (build, run nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-10}
shift || true
scripts/deps.sh test
. scripts/ccache.sh
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo "${ccache_args[@]}" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMAILSCOPE_FUZZ=ON -DMAILSCOPE_SANITIZE=address,undefined \
  -DMAILSCOPE_GUI=OFF -DMAILSCOPE_BENCH=OFF -DMAILSCOPE_TESTS=ON >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do
    n=$(basename "$f" .cpp); n=${n#fuzz_}; targets+=("${n//_/-}")
  done
fi
cmake --build build-fuzz -j"${FUZZ_JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz-}"
[ "${FUZZ_BUILD_ONLY:-0}" = 0 ] || exit 0

out=${FUZZ_OUT:-$(mktemp -d -t mailscope-fuzz.XXXXXX)}
mkdir -p "$out"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# run_target T: one target's run; its exit code goes to $out/T/rc.
run_target() {
  local t=$1 corpus="$out/$1/corpus" rc=0
  rm -rf "$corpus"; mkdir -p "$corpus" "$out/$t/artifacts"
  if [ -d "tests/fuzz/corpus/$t" ]; then cp -r "tests/fuzz/corpus/$t/." "$corpus/"; fi
  # Memory limits: an engine that grows without bound on hostile input is a finding too.
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  ./build-fuzz/tests/fuzz/fuzz-"$t" "$corpus" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/$t/artifacts/" ${FUZZ_ARGS:-} >"$out/$t/log" 2>&1 || rc=$?
  echo "$rc" >"$out/$t/rc"
}
# Each target runs on one core for SECONDS: FUZZ_PARALLEL of them at a time (default nproc),
# so that on 2 cores the smoke run takes half as long and each target still gets its core.
parallel=${FUZZ_PARALLEL:-$(nproc)}
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$((running - 1)); fi
  run_target "$t" &
  running=$((running + 1))
done
wait
failed=()
for t in "${targets[@]}"; do
  if [ "$(cat "$out/$t/rc" 2>/dev/null)" = 0 ]; then
    stats=$(grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$out/$t/log" \
            | sed 's/stat:://' | tr '\n' ' ')
    cov=$(grep -oE 'cov: [0-9]+' "$out/$t/log" | tail -1)
    echo "fuzz-$t: ok ($cov $stats)"
  else
    echo "fuzz-$t: FAILED, see $out/$t/log; reproducer in $out/$t/artifacts/:" >&2
    ls "$out/$t/artifacts" >&2 || true
    grep -m5 -E 'ERROR|runtime error|round trip failed|SUMMARY' "$out/$t/log" >&2 || true
    failed+=("$t")
  fi
done
echo "fuzz logs in $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi

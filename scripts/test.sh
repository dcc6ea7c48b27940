#!/usr/bin/env bash
# Builds Mailscope and runs every test: unit, protocol transcripts, lessons, CLI, live mode
# against real clients (curl, Python, fetchmail, Dovecot) and the GUI screenshot tests under
# xvfb-run; then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and a
# short smoke run of every fuzz target; and the Debian package's checks (lintian, desktop
# entry, metainfo, install/run/remove in a clean Debian root: scripts/package-test.sh); and the
# WebAssembly build's tests (scripts/web-test.sh).
# Installs the Debian packages it needs when missing.
# MAILSCOPE_QUICK=1 skips the sanitizer and fuzz stages.
# On 2 cores the stages overlap where one leaves CPU idle: the wasm libraries build during the
# native tests, the package checks run beside the web stage, the sanitizer and fuzz builds at
# the lowest priority behind both. Prints each stage's wall time and ccache's hits at the end
# (docs/performance.md, "CI").
set -euo pipefail
cd "$(dirname "$0")/.."
t_start=$(date +%s)
timings=()
# stage NAME COMMAND...: runs a stage and records its wall time.
stage() {
  local name=$1 t0 rc=0
  shift
  t0=$(date +%s)
  "$@" || rc=$?
  [ "$rc" = 0 ] || name+=" (failed)"
  timings+=("$(printf '%6d s  %s' $(($(date +%s) - t0)) "$name")")
  return "$rc"
}
# ccache's hits and misses so far (0 0 without ccache): the stages' difference is printed.
ccache_counts() {
  { command -v ccache >/dev/null 2>&1 && ccache --print-stats 2>/dev/null; } |
    awk -F'\t' '$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 } $1 == "cache_miss" { m += $2 }
      END { print h + 0, m + 0 }'
}
read -r hits0 misses0 < <(ccache_counts)
declare -A bg_pid=() bg_log=() bg_t0=()
report() {
  local rc=$?
  echo "== stage times (wall)"
  printf '%s\n' "${timings[@]}"
  printf '%6d s  total\n' $(($(date +%s) - t_start))
  local hits misses
  read -r hits misses < <(ccache_counts)
  echo "ccache: $((hits - hits0)) hits, $((misses - misses0)) misses"
  # A stage failed while background builds ran: they stop too.
  local p
  for p in "${bg_pid[@]}"; do
    kill -0 "$p" 2>/dev/null && kill -- "-$p" 2>/dev/null
  done
  return $rc
}
trap report EXIT

# bg NAME COMMAND...: starts a build nothing waits for yet in the background, its output kept
# for bg_wait. At nice 19 it takes only the CPU the stage in front leaves idle (a test waiting
# on its child or a timer, the network, dpkg, one long single-threaded test) and barely slows
# that stage: the kernel gives a nice-19 task 1.5 % of a core against a nice-0 one.
bg() {
  local name=$1
  shift
  bg_log[$name]=$(mktemp -t mailscope-ci.XXXXXX)
  bg_t0[$name]=$(date +%s)
  # Its own process group (set -m), so that a failing run can stop it with all its children.
  set -m
  "$@" </dev/null >"${bg_log[$name]}" 2>&1 &
  bg_pid[$name]=$!
  set +m
}
# bg_wait NAME: waits for it, prints its output, records its time from start to end.
bg_wait() {
  local name=$1 rc=0
  wait "${bg_pid[$name]}" || rc=$?
  echo "== $name (ran in the background)"
  cat "${bg_log[$name]}"
  rm -f "${bg_log[$name]}"
  [ "$rc" = 0 ] || { echo "test.sh: $name failed" >&2; name+=" (failed)"; }
  timings+=("$(printf '%6d s  %s (background, start to end)' $(($(date +%s) - bg_t0[$1])) "$name")")
  return "$rc"
}
# idle COMMAND...: runs it at nice 19 (a shell function too, which nice(1) cannot run).
idle() { renice -n 19 -p "$BASHPID" >/dev/null && "$@"; }
sanitizer_builds() {
  SANITIZE_BUILD_ONLY=1 scripts/sanitize.sh && FUZZ_BUILD_ONLY=1 scripts/fuzz.sh
}

# Every package any stage needs, before stages run side by side (two apt-gets would fight for
# the lock).
packages() { scripts/deps.sh test && scripts/deps.sh web-test; }
stage "packages" packages
# The wasm libraries (libpcap, vmime, OpenSSL) need nothing from the native build.
bg "wasm libraries" idle scripts/web.sh --deps-only
stage "native build" scripts/build.sh
native_tests() { (cd build && ctest --output-on-failure -j"$(nproc)"); }
stage "native tests" native_tests
bg_wait "wasm libraries"

# The package checks spend most of their time on the network and in dpkg (mmdebstrap fetches
# and installs a clean Debian root): they run beside the CPU-bound web stage. Both only read
# ./build. The sanitizer and fuzz builds take what CPU the two leave.
bg "Debian package" scripts/package-test.sh
quick=${MAILSCOPE_QUICK:-0}
[ "$quick" = 1 ] || bg "sanitizer and fuzz builds" idle sanitizer_builds
echo "== web build (WebAssembly: node suite, byte identity with native, headless Chromium)"
rc=0
stage "web build + tests" scripts/web-test.sh || rc=1
bg_wait "Debian package" || rc=1
if [ "$quick" != 1 ]; then
  bg_wait "sanitizer and fuzz builds" || rc=1
fi
[ "$rc" = 0 ] || exit 1

if [ "$quick" != 1 ]; then
  echo "== sanitizers (ASan + UBSan)"
  stage "sanitizer tests (and build left)" scripts/sanitize.sh
  echo "== fuzz smoke (5 s per target)"
  stage "fuzz smoke (and build left)" scripts/fuzz.sh 5
fi

#!/usr/bin/env bash
# Builds Mailscope and runs every test: unit, protocol transcripts, lessons, CLI, live mode
# against real clients (curl, Python, fetchmail, Dovecot) and the GUI screenshot tests under
# xvfb-run; then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and a
# short smoke run of every fuzz target; and the Debian package's checks (lintian, desktop
# entry, metainfo, install/run/remove in a clean Debian root: scripts/package-test.sh); and the
# WebAssembly build's tests (scripts/web-test.sh).
# Installs the Debian packages it needs when missing.
# MAILSCOPE_QUICK=1 skips the sanitizer and fuzz stages.
# Prints each stage's wall time and ccache's hits at the end (docs/performance.md, CI).
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
report() {
  local rc=$?
  echo "== stage times (wall)"
  printf '%s\n' "${timings[@]}"
  printf '%6d s  total\n' $(($(date +%s) - t_start))
  local hits misses
  read -r hits misses < <(ccache_counts)
  echo "ccache: $((hits - hits0)) hits, $((misses - misses0)) misses"
  return $rc
}
trap report EXIT

# Every package any stage needs, before stages run side by side (two apt-gets would fight for
# the lock).
packages() { scripts/deps.sh test && scripts/deps.sh web-test; }
native_tests() { (cd build && ctest --output-on-failure -j"$(nproc)"); }
stage "packages" packages
stage "native build" scripts/build.sh
stage "native tests" native_tests

# The package checks spend most of their time on the network and in dpkg (mmdebstrap fetches
# and installs a clean Debian root), so they run beside the CPU-bound web stage; their output
# follows the web stage's. Both only read ./build.
pkg_log=$(mktemp -t mailscope-package-test.XXXXXX)
t_pkg=$(date +%s)
scripts/package-test.sh >"$pkg_log" 2>&1 &
pkg_pid=$!
echo "== web build (WebAssembly: node suite, byte identity with native, headless Chromium)"
web_rc=0
stage "web build + tests (beside the package)" scripts/web-test.sh || web_rc=$?
pkg_rc=0
wait "$pkg_pid" || pkg_rc=$?
timings+=("$(printf '%6d s  %s' $(($(date +%s) - t_pkg)) "Debian package (beside the web stage)")")
echo "== Debian package"
cat "$pkg_log"
rm -f "$pkg_log"
[ "$web_rc" = 0 ] || { echo "test.sh: the web stage failed" >&2; exit 1; }
[ "$pkg_rc" = 0 ] || { echo "test.sh: the Debian package checks failed" >&2; exit 1; }

if [ "${MAILSCOPE_QUICK:-0}" != 1 ]; then
  echo "== sanitizers (ASan + UBSan)"
  stage "sanitizer build + tests" scripts/sanitize.sh
  echo "== fuzz smoke (5 s per target)"
  stage "fuzz build + smoke" scripts/fuzz.sh 5
fi

# shellcheck shell=bash disable=SC2034  # sets ccache_args for the script that sources it
# Sourced by the build scripts from the repository root: compile through Debian's ccache when
# it is installed (scripts/deps.sh installs it), so that the builds CI makes one after another
# (build, build-asan, build-fuzz, build-web, the package) and a second clone share their work.
# RelWithDebInfo's -g records source and build paths: CCACHE_BASEDIR rewrites those under the
# repository as relative paths and CCACHE_NOHASHDIR leaves the build folder out of the hash, so
# two build folders hit the same entries (a hit's debug info then names the first folder).
# Sets ccache_args to the CMake options that turn it on (empty without ccache).
ccache_args=()
if command -v ccache >/dev/null 2>&1; then
  # A base_dir already configured (ccache.conf) may be wider, shared by several clones: kept
  # when this clone is inside it. A clone outside it (a CI checkout elsewhere) would hash its
  # absolute paths and never hit what another clone cached: then this clone is the base.
  if [ -z "${CCACHE_BASEDIR:-}" ]; then
    conf_base=$(ccache -k base_dir 2>/dev/null || true)
    case $PWD/ in
      "${conf_base%/}"/*) [ -n "$conf_base" ] || export CCACHE_BASEDIR=$PWD ;;
      *) export CCACHE_BASEDIR=$PWD ;;
    esac
  fi
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  # Depend mode: on a miss, ccache takes the headers from the compiler's own -MD output (CMake's
  # Makefiles and OpenSSL's ask for it) instead of running the preprocessor a second time, so a
  # cold cache (a fresh CI machine) costs 1-3 % instead of 5-20 % (ccache.dev/performance.html).
  export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
  ccache_args=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

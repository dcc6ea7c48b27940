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
  # A base_dir already configured (ccache.conf) may be wider, shared by several clones: kept.
  [ -n "${CCACHE_BASEDIR:-}" ] || [ -n "$(ccache -k base_dir 2>/dev/null)" ] ||
    export CCACHE_BASEDIR=$PWD
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  ccache_args=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

#!/usr/bin/env bash
# Builds Mailscope for the browser into build-web/site/ (index.html, JS, WASM and the data
# file with the lessons and fonts): a static folder any web server can serve. Also builds the
# wasm mailscope-cli and test suite that scripts/web-test.sh runs under node.
# Installs what it needs (Debian's emscripten; the Dear ImGui, libpcap, vmime and OpenSSL
# sources via apt-get source, kept in build-web/src). Everything is incremental: a second run
# rebuilds only what changed.
# Usage: scripts/web.sh [--serve | --deps-only]   (--serve: then serve the site on
#        http://127.0.0.1:8080/; --deps-only: fetch and build the wasm libraries, then stop)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
serve=0 deps_only=0
for a in "$@"; do
  case $a in
    --serve) serve=1 ;;
    --deps-only) deps_only=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scripts/web.sh: unknown option $a (try --help)" >&2; exit 2 ;;
  esac
done

out=$root/build-web
src=$out/src      # Debian source packages (never committed: build-web/ is ignored)
deps=$out/deps    # libpcap, vmime and OpenSSL built for wasm
mkdir -p "$src" "$deps/lib" "$deps/include"
jobs=$(nproc)

# --- Packages -------------------------------------------------------------------------------
scripts/deps.sh web
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
updated=0

# Sources: apt-get source needs a deb-src entry; Debian's images ship without one.
need_src=()
[ -f "$src/imgui-src/imgui.cpp" ] || need_src+=(imgui)
[ -f "$src/libpcap-src/pcap.c" ] || need_src+=(libpcap)
[ -f "$src/libvmime-src/CMakeLists.txt" ] || need_src+=(libvmime)
[ -f "$src/openssl-src/Configure" ] || need_src+=(openssl)
if [ ${#need_src[@]} -gt 0 ]; then
  if ! grep -rqs '^\(Types: *deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "scripts/web.sh: enabling Debian source packages (/etc/apt/sources.list.d/mailscope-src.sources)" >&2
    . /etc/os-release
    $SUDO tee /etc/apt/sources.list.d/mailscope-src.sources >/dev/null <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME} ${VERSION_CODENAME}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    updated=0
  fi
  [ $updated = 1 ] || $SUDO apt-get update -qq
  for p in "${need_src[@]}"; do
    echo "scripts/web.sh: apt-get source $p" >&2
    (cd "$src" && rm -rf "$p"-[0-9]* && apt-get source -qq "$p" >/dev/null 2>&1)
    dir=$(cd "$src" && ls -d "$p"-[0-9]*/ | head -1)
    rm -rf "$src/$p-src"
    ln -s "${dir%/}" "$src/$p-src"
  done
fi

# --- emscripten environment (Debian's 3.1.6) ---------------------------------------------------
# emcc's JS optimiser needs Debian's acorn; Node 20's experimental fetch breaks 3.1.6's output.
export NODE_PATH=/usr/share/nodejs
. scripts/ccache.sh

# --- libpcap for wasm (capture files only: PCAP_TYPE=null opens no device) ---------------------
if [ ! -f "$deps/lib/libpcap.a" ]; then
  echo "scripts/web.sh: building libpcap for wasm" >&2
  emcmake cmake -S "$src/libpcap-src" -B "$out/obj/libpcap" -DCMAKE_BUILD_TYPE=Release \
    -DPCAP_TYPE=null -DBUILD_SHARED_LIBS=OFF -DDISABLE_DBUS=ON -DDISABLE_RDMA=ON \
    -DDISABLE_BLUETOOTH=ON -DDISABLE_USB=ON -DDISABLE_NETMAP=ON -DDISABLE_DPDK=ON \
    -DENABLE_REMOTE=OFF -DBUILD_WITH_LIBNL=OFF >/dev/null
  cmake --build "$out/obj/libpcap" -j"$jobs" --target pcap_static >/dev/null
  cp "$out/obj/libpcap/libpcap.a" "$deps/lib/"
  mkdir -p "$deps/include/pcap"
  cp "$src/libpcap-src/pcap.h" "$deps/include/"
  cp "$src/libpcap-src"/pcap/*.h "$deps/include/pcap/"
fi

# --- vmime for wasm (MIME only: no messaging, TLS, SASL, sendmail or file system) --------------
if [ ! -f "$deps/lib/libvmime.a" ]; then
  echo "scripts/web.sh: building vmime for wasm" >&2
  # CMake's CHECK_TYPE_SIZE cannot read sizes out of a wasm binary: give wasm32's.
  sizes=()
  for t in CHAR:1 SHORT:2 INT:4 LONG:4 LONG_LONG:8 INT64_T:8; do
    sizes+=("-DHAVE_SIZEOF_${t%%:*}=TRUE" "-DSIZEOF_${t%%:*}=${t##*:}")
  done
  # PTHREAD_LIB: emscripten's libc has the pthread functions vmime's POSIX handler locks with
  # (no-ops in a single-threaded build), but no separate libpthread for find_library to find.
  emcmake cmake -S "$src/libvmime-src" -B "$out/obj/vmime" -DCMAKE_BUILD_TYPE=Release \
    "${sizes[@]}" -DHAVE_SIZEOF___INT64=FALSE -DPTHREAD_LIB=pthread \
    -DVMIME_BUILD_SHARED_LIBRARY=OFF -DVMIME_BUILD_STATIC_LIBRARY=ON -DVMIME_BUILD_TESTS=OFF \
    -DVMIME_BUILD_SAMPLES=OFF -DVMIME_BUILD_DOCUMENTATION=OFF \
    -DVMIME_HAVE_MESSAGING_FEATURES=OFF -DVMIME_HAVE_SASL_SUPPORT=OFF \
    -DVMIME_HAVE_TLS_SUPPORT=OFF -DVMIME_HAVE_MESSAGING_PROTO_SENDMAIL=OFF \
    -DVMIME_HAVE_FILESYSTEM_FEATURES=OFF -DVMIME_CHARSETCONV_LIB=iconv \
    -DVMIME_SHARED_PTR_USE_CXX=ON -DCMAKE_CXX_FLAGS=-fexceptions >/dev/null
  cmake --build "$out/obj/vmime" -j"$jobs" --target vmime-static >/dev/null
  cp "$(find "$out/obj/vmime" -name 'libvmime*.a' | head -1)" "$deps/lib/libvmime.a"
  rm -rf "$deps/include/vmime"
  mkdir -p "$deps/include/vmime"
  (cd "$src/libvmime-src/src/vmime" && find . -name '*.hpp' -exec cp --parents {} "$deps/include/vmime/" \;)
  (cd "$out/obj/vmime/src/vmime" && find . -name '*.hpp' -exec cp --parents {} "$deps/include/vmime/" \;)
fi

# --- OpenSSL for wasm (libssl + libcrypto, static; sim/tls runs TLS over memory BIOs) -----------
# Left out: what a wasm page cannot have (asm, threads, shared objects, engines, sockets' async
# jobs, the kernel's AF_ALG, a console UI) and algorithms and formats no TLS handshake of ours
# sends (no cipher suite, signature algorithm or group in OpenSSL 3.0's ClientHello uses them:
# the default lists are filtered by what is built, so everything those lists name stays in).
# tests/web's TLS probe checks that the handshake bytes equal native ones (Debian's libssl).
openssl_opts=(linux-generic32 no-asm no-threads no-shared no-dso no-engine no-tests no-async
  no-afalgeng no-ui-console no-cms no-ts no-srp no-dtls no-md4 no-mdc2 no-rmd160 no-whirlpool
  no-rc2 no-rc4 no-idea no-seed no-bf no-cast no-sm2 no-sm3 no-sm4 no-gost no-siphash no-scrypt
  no-ec2m no-legacy)
openssl_stamp="$(readlink "$src/openssl-src") ${openssl_opts[*]}"
if [ ! -f "$deps/lib/libssl.a" ] ||
   [ "$(cat "$deps/openssl.stamp" 2>/dev/null)" != "$openssl_stamp" ]; then
  echo "scripts/web.sh: building OpenSSL for wasm (libssl, libcrypto)" >&2
  t0=$(date +%s)
  rm -rf "$out/obj/openssl" "$deps/include/openssl" "$deps/lib/libssl.a" "$deps/lib/libcrypto.a"
  mkdir -p "$out/obj/openssl"
  cc=emcc
  [ ${#ccache_args[@]} -eq 0 ] || cc="ccache emcc"
  # Out of tree: the Debian source stays as apt-get source left it. OPENSSLDIR names a folder
  # that does not exist, so no host openssl.cnf is ever read under node's raw file system.
  (cd "$out/obj/openssl" &&
   CC="$cc" AR=emar RANLIB=emranlib "$src/openssl-src/Configure" "${openssl_opts[@]}" \
     --prefix="$deps" --openssldir=/nonexistent/mailscope-openssl >/dev/null &&
   make -j"$jobs" build_libs >/dev/null)
  cp "$out/obj/openssl/libssl.a" "$out/obj/openssl/libcrypto.a" "$deps/lib/"
  mkdir -p "$deps/include/openssl"
  # The headers: the source's and those Configure generates (opensslv.h, configuration.h, ...).
  cp "$src/openssl-src"/include/openssl/*.h "$out/obj/openssl"/include/openssl/*.h \
    "$deps/include/openssl/"
  echo "$openssl_stamp" >"$deps/openssl.stamp"
  echo "scripts/web.sh: OpenSSL for wasm built in $(($(date +%s) - t0)) s" >&2
fi

[ $deps_only = 0 ] || exit 0

# --- Mailscope ----------------------------------------------------------------------------------
native_cli=${MAILSCOPE_NATIVE_CLI:-$root/build/cli/mailscope-cli}
if [ ! -f "$out/cmake/CMakeCache.txt" ]; then
  emcmake cmake -S cmake/web -B "$out/cmake" -DCMAKE_BUILD_TYPE=Release \
    -DWEB_DEPS="$deps" -DIMGUI_SRC="$src/imgui-src" -DSITE_DIR="$out/site" \
    -DNATIVE_CLI="$native_cli" "${ccache_args[@]}" >/dev/null
fi
cmake --build "$out/cmake" -j"$jobs"
echo "scripts/web.sh: site in $out/site ($(du -sh "$out/site" 2>/dev/null | cut -f1))"

if [ $serve = 1 ]; then
  echo "Serving $out/site on http://127.0.0.1:8080/ (Ctrl-C stops)"
  exec python3 -m http.server 8080 --bind 127.0.0.1 --directory "$out/site"
fi

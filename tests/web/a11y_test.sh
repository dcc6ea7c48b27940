#!/usr/bin/env bash
# The browser build's text view (tests/web/a11y_test.py) with axe-core from npm, at the version
# tests/web/package-lock.json pins, installed under build-web/ (never committed).
# Usage: tests/web/a11y_test.sh [SITE_DIR]   (default build-web/site; scripts/web.sh builds it)
set -euo pipefail
cd "$(dirname "$0")/../.."
site=${1:-build-web/site}
node_dir=build-web/a11y-node
if ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
mkdir -p "$node_dir"
if ! cmp -s tests/web/package-lock.json "$node_dir/package-lock.json" ||
   [ ! -f "$node_dir/node_modules/axe-core/axe.min.js" ]; then
  cp tests/web/package.json tests/web/package-lock.json "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --silent)
fi
/usr/bin/python3 tests/web/a11y_test.py "$site" "$node_dir/node_modules/axe-core/axe.min.js" build-web/shots

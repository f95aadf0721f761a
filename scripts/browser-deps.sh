#!/usr/bin/env bash
# Tools of the browser tests (pytest -m browser): Debian chromium and the axe-core
# npm package pinned by package.json + package-lock.json.
# Idempotent and quick when everything is in place. Best effort: when a tool cannot
# be installed this says why and exits 0, and the browser tests then report
# themselves as skipped with the reason.
set -euo pipefail

cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
AXE=node_modules/axe-core/axe.min.js

# 1. Chromium from Debian (Playwright drives it through executable_path).
if [ -x "$CHROMIUM" ]; then
    :
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-deps: installation de chromium (apt-get)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; then
        echo "browser-deps: chromium n'a pas pu être installé ; les tests navigateur seront ignorés (skipped)."
    fi
else
    echo "browser-deps: $CHROMIUM absent et pas de droits root pour l'installer :"
    echo "  sudo apt-get install chromium   (sinon les tests navigateur seront ignorés)."
fi

# 2. axe-core, installed exactly as locked. node_modules is stale when the lock file
#    is newer than npm's own record of the last install (node_modules/.package-lock.json).
if ! command -v npm >/dev/null 2>&1; then
    echo "browser-deps: npm absent : axe-core non installé ; les tests navigateur seront ignorés."
    echo "  sudo apt-get install npm   puis   make browser-deps"
    exit 0
fi
if [ -f "$AXE" ] && [ -f node_modules/.package-lock.json ] \
    && [ ! package-lock.json -nt node_modules/.package-lock.json ] \
    && [ ! package.json -nt node_modules/.package-lock.json ]; then
    exit 0
fi
echo "browser-deps: npm ci (axe-core)…"
if ! npm ci --no-audit --no-fund; then
    echo "browser-deps: npm ci a échoué ; les tests navigateur seront ignorés."
    exit 0
fi
# npm ci keeps the lock file's timestamp: mark this install as current.
touch node_modules/.package-lock.json

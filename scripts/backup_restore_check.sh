#!/usr/bin/env bash
# Prove that a backup restored into a fresh database passes /healthz.
#
# Against the PostgreSQL server at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} (user postgres,
# allowed to create databases): migrate a scratch database, load the demo, run the
# scheduler and the worker once, dump it with `pg_dump -Fc`, restore the dump into a
# second fresh database, serve that one with gunicorn (production settings) and require
# /healthz to answer 200 with "ok": true and the demo authority to be there. Both scratch
# databases are dropped on exit, success or not.
#
#   scripts/backup_restore_check.sh          # exit 0: the backup is restorable
#   PARVIS_BIN=/path/to/venv/bin scripts/backup_restore_check.sh
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${PARVIS_BIN:-.venv/bin}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=postgres

suffix="$$_$(date +%s)"
source_db="parvis_backup_source_$suffix"
restored_db="parvis_backup_restored_$suffix"
work=$(mktemp -d)
gunicorn_pid=""

cleanup() {
    if [[ -n "$gunicorn_pid" ]]; then
        kill "$gunicorn_pid" 2>/dev/null || true
        wait "$gunicorn_pid" 2>/dev/null || true
    fi
    dropdb --if-exists --force "$source_db" || true
    dropdb --if-exists --force "$restored_db" || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }

# A socket directory as PGHOST goes into the URL percent-encoded.
url_host=${PGHOST//\//%2F}
database_url() { printf 'postgres://postgres@%s:%s/%s' "$url_host" "$PGPORT" "$1"; }

# Production settings, as on a real server; only the database changes between steps.
export PARVIS_ENV=production DEBUG=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export PARVIS_VAR_DIR="$work/var" MEDIA_ROOT="$work/var/media"
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
# A Fernet key is 32 random bytes, URL-safe base64.
ENCRYPTION_KEYS=$("$BIN/python" -c \
    'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export SECRET_KEY ENCRYPTION_KEYS

step "source database $source_db: migrate, demo, scheduler and worker once"
createdb "$source_db"
export DATABASE_URL
DATABASE_URL=$(database_url "$source_db")
"$BIN/parvis" migrate --no-input -v 0
"$BIN/parvis" demo
"$BIN/parvis" scheduler --max-ticks 1
"$BIN/parvis" worker --queue-name '*' --batch --threads 1

step "backup: pg_dump -Fc"
pg_dump -Fc --no-owner -f "$work/parvis.dump" "$source_db"

step "restore into $restored_db: pg_restore"
createdb "$restored_db"
pg_restore --no-owner --exit-on-error --single-transaction \
    -d "$restored_db" "$work/parvis.dump"
DATABASE_URL=$(database_url "$restored_db")

demo_authorities=$(psql -d "$restored_db" -Atc \
    "SELECT count(*) FROM territory_authority WHERE is_demo AND code = '35288'")
if [[ "$demo_authorities" != "1" ]]; then
    echo "FAIL: the demo authority (Saint-Malo, 35288) is missing after restore" >&2
    exit 1
fi
for table in territory_territory territory_authority accounts_user system_heartbeat; do
    before=$(psql -d "$source_db" -Atc "SELECT count(*) FROM $table")
    after=$(psql -d "$restored_db" -Atc "SELECT count(*) FROM $table")
    if [[ "$before" != "$after" ]]; then
        echo "FAIL: $table has $before rows in the source, $after restored" >&2
        exit 1
    fi
done
echo "restored: demo authority present, row counts match"

step "gunicorn on the restored database, GET /healthz"
"$BIN/parvis" collectstatic --no-input -v 0
port=$("$BIN/python" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
    --no-control-socket --log-level warning &
gunicorn_pid=$!

"$BIN/python" - "$port" <<'PYTHON'
import json
import sys
import time
import urllib.error
import urllib.request

url = f"http://127.0.0.1:{sys.argv[1]}/healthz"
deadline = time.monotonic() + 20
while True:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            status, report = response.status, json.load(response)
        break
    except urllib.error.HTTPError as error:
        status, report = error.code, json.load(error)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"FAIL: gunicorn did not answer at {url}")
        time.sleep(0.2)
print(status, json.dumps(report))
if status != 200 or report.get("ok") is not True:
    sys.exit("FAIL: /healthz is not 200 with ok: true on the restored database")
PYTHON

echo "OK: the backup restored into a fresh database passes /healthz"

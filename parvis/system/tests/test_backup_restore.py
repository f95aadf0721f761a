"""A backup restored into a fresh database passes /healthz.

Runs scripts/backup_restore_check.sh (pg_dump -Fc, pg_restore into a new database,
gunicorn on it). Needs the PostgreSQL client tools and a server at $PGHOST (default
127.0.0.1) where the user postgres may create databases; skipped, with the reason, when
either is missing.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "backup_restore_check.sh"
CLIENT_TOOLS = ["pg_dump", "pg_restore", "createdb", "dropdb", "psql"]


def postgres_unreachable_reason() -> str | None:
    missing = [tool for tool in CLIENT_TOOLS if shutil.which(tool) is None]
    if missing:
        return f"PostgreSQL client tools not installed: {', '.join(missing)}"
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    try:
        psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3
        ).close()
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error) else ""
        return f"PostgreSQL server not reachable at {host}:{port} as postgres: {first_line}"
    return None


@pytest.mark.slow
def test_a_backup_restored_into_a_fresh_database_passes_healthz():
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "PARVIS_BIN": str(Path(sys.executable).parent)}
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: the backup restored into a fresh database passes /healthz" in (
        result.stdout
    )

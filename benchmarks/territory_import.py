"""Benchmark: load the whole territory reference (~36,000 rows) into a fresh database.

Each repetition migrates a brand-new database (not timed), then times `territory_import()`
on it (every row created) and a second time (idempotent: nothing changes). Prints the
medians, then one JSON object on the last line.

    python benchmarks/territory_import.py                 # SQLite, 5 repetitions
    python benchmarks/territory_import.py --quick         # 2 repetitions
    python benchmarks/territory_import.py --postgres postgres://postgres@127.0.0.1/test

SQLite uses the embedded settings (WAL) on a file in a temporary PARVIS_VAR_DIR. With
`--postgres URL`, the URL's server is used through a scratch database
(`parvis_bench_<pid>`, created and dropped here; the URL's own database is only used to
connect), so the user needs the CREATEDB right.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Repetitions (5).")
    parser.add_argument("--quick", action="store_true", help="2 repetitions.")
    parser.add_argument(
        "--postgres", metavar="URL", help="Benchmark PostgreSQL instead of SQLite."
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat = 2
    return args


class SqliteDatabase:
    """A fresh SQLite file per repetition, with the embedded settings."""

    vendor = "sqlite"

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        os.environ.pop("DATABASE_URL", None)

    def reset(self) -> None:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            self.var_dir.joinpath(f"parvis.sqlite3{suffix}").unlink(missing_ok=True)

    def drop(self) -> None:
        self.reset()


class PostgresDatabase:
    """A scratch database on the server of `url`, dropped and re-created per repetition."""

    vendor = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        self.admin = psycopg.connect(url, autocommit=True)
        self.name = f"parvis_bench_{os.getpid()}"
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.name}"))

    def _execute(self, statement: str) -> None:
        from psycopg import sql

        self.admin.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def reset(self) -> None:
        from django.db import connections

        connections.close_all()
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._execute("CREATE DATABASE {}")

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self.admin.close()


def run(database: SqliteDatabase | PostgresDatabase, repeat: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()

    from django.core.management import call_command

    from parvis.territory.services import territory_import

    first_times, second_times, rows = [], [], 0
    for number in range(1, repeat + 1):
        database.reset()
        call_command("migrate", interactive=False, verbosity=0)

        started = time.perf_counter()
        counts = territory_import()
        first = time.perf_counter() - started
        if counts["created"] != counts["total"]:
            raise SystemExit(f"Fresh database not empty: {counts}")

        started = time.perf_counter()
        again = territory_import()
        second = time.perf_counter() - started
        if again["created"] or again["updated"]:
            raise SystemExit(f"Second import changed rows: {again}")

        rows = counts["total"]
        first_times.append(first)
        second_times.append(second)
        print(
            f"run {number}/{repeat}: {rows} rows in {first:.2f} s, "
            f"second import {second:.2f} s",
            flush=True,
        )

    median = statistics.median(first_times)
    return {
        "benchmark": "territory_import",
        "database": database.vendor,
        "repeat": repeat,
        "rows": rows,
        "median_seconds": round(median, 3),
        "rows_per_second": round(rows / median),
        "second_import_median_seconds": round(statistics.median(second_times), 3),
        "runs_seconds": [round(value, 3) for value in first_times],
        "target_seconds": TARGET_SECONDS,
    }


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="parvis-bench-") as tmp:
        os.environ["PARVIS_VAR_DIR"] = tmp
        database = (
            PostgresDatabase(args.postgres)
            if args.postgres
            else SqliteDatabase(Path(tmp))
        )
        try:
            result = run(database, args.repeat)
        finally:
            database.drop()
    print(
        f"{result['database']}: median {result['median_seconds']} s for "
        f"{result['rows']} rows ({result['rows_per_second']} rows/s), "
        f"second import {result['second_import_median_seconds']} s"
    )
    print(json.dumps(result))
    if result["median_seconds"] > TARGET_SECONDS:
        raise SystemExit(f"Slower than the {TARGET_SECONDS:.0f} s target.")


if __name__ == "__main__":
    main()

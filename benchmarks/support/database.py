"""The database a request-time benchmark runs on: a fresh SQLite file in a temporary
PARVIS_VAR_DIR, or, with a PostgreSQL URL, a scratch database created on that server
and dropped afterwards (`parvis_bench_<label>_<pid>`)."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def benchmark_database(postgres_url: str | None, label: str) -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="parvis-bench-") as tmp:
        os.environ["PARVIS_VAR_DIR"] = tmp
        admin = None
        name = f"parvis_bench_{label}_{os.getpid()}"
        if postgres_url:
            import psycopg

            admin = psycopg.connect(postgres_url, autocommit=True)
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
            os.environ["DATABASE_URL"] = urlunsplit(
                urlsplit(postgres_url)._replace(path=f"/{name}")
            )
        else:
            os.environ.pop("DATABASE_URL", None)
        try:
            yield
        finally:
            from django.db import connections

            connections.close_all()
            if admin is not None:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()

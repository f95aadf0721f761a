"""Publish storm: N publications due in the same minute across M channels.

Against a local stand-in of Mastodon instances (benchmarks/support/fake_mastodon.py:
real API shapes, 50-150 ms latency, 1 % transient 503, a few 429), with the real
scheduler and two real `parvis worker` processes; one worker is SIGKILLed once 30 %
are published, then restarted. Measures time to drain, lateness, duplicates (statuses
created twice for one publication: must be 0), lost (publications not published at
the end: must be 0), and peak memory of the Parvis processes.

    .venv/bin/python benchmarks/publish_storm.py            # 10,000 x 500 channels
    .venv/bin/python benchmarks/publish_storm.py --quick    # 1,000 x 50
    .venv/bin/python benchmarks/publish_storm.py --postgres postgres://postgres@127.0.0.1/test
"""

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--publications", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--threads", type=int, default=12, help="per worker process")
    parser.add_argument("--interval", type=float, default=0.2, help="worker poll (s)")
    parser.add_argument("--lead", type=float, default=20.0, help="seconds until due")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (scratch db)")
    args = parser.parse_args()
    if args.quick:
        args.publications, args.channels = 1_000, 50
    return args


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="parvis-storm-"))
    env = {**os.environ, "PARVIS_VAR_DIR": str(work), "LOG_LEVEL": "WARNING"}
    # The stand-in networks listen on 127.0.0.1.
    env["ALLOW_PRIVATE_NETWORK_URLS"] = "true"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    scratch_db = ""
    if args.postgres:
        import psycopg

        scratch_db = f"parvis_storm_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch_db}"')
        env["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + f"/{scratch_db}"
    os.environ.update(env)

    created_log = work / "created.jsonl"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.support.fake_mastodon",
            "--log",
            str(created_log),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    port = json.loads(server.stdout.readline())["port"]  # type: ignore[union-attr]
    processes: dict[str, subprocess.Popen] = {}
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        due = setup_data(args, port, timezone.now() + dt.timedelta(seconds=args.lead))
        print(f"{args.publications} publications due at {due:%H:%M:%S} UTC", flush=True)

        python = [sys.executable, "-m", "parvis"]
        worker_cmd = [
            *python,
            "worker",
            "--threads",
            str(args.threads),
            "--interval",
            str(args.interval),
        ]
        processes["scheduler"] = subprocess.Popen(
            [*python, "scheduler", "--tick", "5"], cwd=ROOT, env=env
        )
        processes["worker-1"] = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
        processes["worker-2"] = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)

        from parvis.publishing.models import Publication

        peak = 0.0
        killed = False
        started = time.monotonic()
        while time.monotonic() - started < args.timeout:
            time.sleep(0.5)
            peak = max(peak, sum(rss_mb(p.pid) for p in processes.values()))
            published = Publication.objects.filter(state="published").count()
            if not killed and published >= 0.3 * args.publications:
                os.kill(processes["worker-1"].pid, signal.SIGKILL)
                processes["worker-1"].wait()
                processes["worker-1"] = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
                killed = True
                print(
                    f"worker-1 killed at {published} published, restarted", flush=True
                )
            open_states = ["pending", "queued", "publishing", "unknown"]
            if not Publication.objects.filter(state__in=open_states).exists():
                break
        report(args, due, peak, created_log)
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        server.kill()
        if scratch_db:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)')


def setup_data(args: argparse.Namespace, port: int, due: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials
    from parvis.publishing.models import Publication
    from parvis.studio.models import Post, Variant
    from parvis.territory.models import Territory
    from parvis.territory.services import authority_create

    territory = Territory.objects.create(
        kind="commune",
        code="35288",
        name="Saint-Malo",
        search_name="saint malo",
        population=47439,
        dataset_version="bench",
    )
    authority = authority_create(territory_id=territory.pk)
    channels = [
        channel_connect(
            authority=authority,
            network="mastodon",
            credentials=Credentials(
                access_token=f"acct{n}",
                account_id=f"acct{n}",
                base_url=f"http://127.0.0.1:{port}",
            ),
            account=AccountInfo(account_id=f"acct{n}", handle=f"@acct{n}@fake.local"),
            actor=None,
        )
        for n in range(args.channels)
    ]
    post = Post.objects.create(
        authority=authority, title="Tempête de publications", state="approved"
    )
    variants = Variant.objects.bulk_create(
        [
            Variant(
                post=post,
                network="mastodon",
                parts=[f"Publication {n} : marché de Noël place Chateaubriand."],
            )
            for n in range(args.publications)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Publication.objects.bulk_create(
        [
            Publication(
                authority=authority,
                variant=variant,
                channel=channels[n % len(channels)],
                scheduled_at=due,
                next_attempt_at=due,
                state_changed_at=now,
            )
            for n, variant in enumerate(variants)
        ],
        batch_size=1000,
    )
    return due


def report(args: argparse.Namespace, due: dt.datetime, peak: float, log: Path) -> None:
    from parvis.publishing.models import Publication

    rows = list(Publication.objects.values_list("state", "published_at", "attempts"))
    published = [row for row in rows if row[0] == "published"]
    lateness = [(row[1] - due).total_seconds() for row in published]
    created = Counter(
        json.loads(line)["text"] for line in log.read_text().splitlines() if line
    )
    states = Counter(row[0] for row in rows)
    result = {
        "publications": args.publications,
        "channels": args.channels,
        "database": "postgresql" if args.postgres else "sqlite",
        "threads_per_worker": args.threads,
        "published": len(published),
        "duplicates": sum(count - 1 for count in created.values() if count > 1),
        "lost": args.publications - len(published),
        "states": dict(states),
        "drain_seconds": round(max(lateness), 1) if lateness else None,
        "p50_lateness_seconds": round(statistics.median(lateness), 1)
        if lateness
        else None,
        "p99_lateness_seconds": round(percentile(lateness, 0.99), 1)
        if lateness
        else None,
        "max_attempts": max((row[2] for row in rows), default=0),
        "peak_rss_mb": round(peak, 1),
    }
    buckets = Counter(int(value // 10) * 10 for value in lateness)
    print("lateness histogram (s):", dict(sorted(buckets.items())), flush=True)
    from parvis.publishing.models import Attempt

    outcomes = Counter(Attempt.objects.values_list("kind", "outcome"))
    print("attempts:", {f"{k}:{o}": n for (k, o), n in outcomes.items()}, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

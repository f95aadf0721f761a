"""Calendar month view: server time of /c/<slug>/calendrier/ for an authority with
5,000 posts in one month. Target: median under 300 ms.

The posts (December 2026, 07:00-22:00 Paris time) are spread over six networks (two
variants each), seven channels, eight campaigns and every state; the scheduled,
published and failed ones have their publications. The page is requested through
Django's test client, signed in, with DEBUG off; "server time" is the whole request
through the middleware, the views, the reads and the template. The query count comes
from one more request with the queries captured.

    .venv/bin/python benchmarks/calendar_month.py            # 20 requests
    .venv/bin/python benchmarks/calendar_month.py --quick    # 5 requests
    .venv/bin/python benchmarks/calendar_month.py --postgres postgres://postgres@127.0.0.1/test

SQLite uses a fresh file in a temporary PARVIS_VAR_DIR; `--postgres URL` a scratch
database (`parvis_bench_calendar_<pid>`) created and dropped on that server.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support.database import benchmark_database  # noqa: E402

TARGET_MS = 300.0
NETWORKS = ["facebook", "instagram", "x", "linkedin", "mastodon", "bluesky"]
STATES = ["draft"] * 3 + ["in_review"] * 2 + ["approved"] * 2 + ["scheduled"] * 4
STATES += ["published"] * 2 + ["failed"]
HANDED_OVER = {"scheduled", "published", "failed"}
PUBLICATION_STATE = {
    "scheduled": "pending",
    "published": "published",
    "failed": "failed",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests (20)")
    parser.add_argument("--quick", action="store_true", help="5 timed requests")
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL instead of SQLite"
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat = 5
    return args


def populate(posts: int):
    """The authority, its editor, channels, campaigns and `posts` posts."""
    from parvis.accounts.models import User
    from parvis.accounts.roles import Role
    from parvis.accounts.services import membership_set
    from parvis.channels.models import Channel
    from parvis.planning.models import Campaign
    from parvis.publishing.models import Publication
    from parvis.studio.models import Post, Variant
    from parvis.territory.models import Territory
    from parvis.territory.reference import normalize_name
    from parvis.territory.services import authority_create

    territory = Territory.objects.create(
        kind="commune",
        code="35288",
        name="Saint-Malo",
        search_name=normalize_name("Saint-Malo"),
        population=47_439,
        departement_code="35",
        region_code="53",
        dataset_version="bench",
    )
    authority = authority_create(territory_id=territory.pk)
    editor = User.objects.create_user("redaction@saint-malo.example", "bench-password")
    membership_set(authority=authority, user=editor, role=Role.EDITOR, actor=None)
    now = dt.datetime.now(dt.UTC)
    channels = Channel.objects.bulk_create(
        Channel(
            authority=authority,
            network=network,
            account_id=f"{network}-{n}",
            handle=f"@saint-malo-{n}",
            credentials_encrypted="-",
        )
        for n, network in enumerate([*NETWORKS, "mastodon"])
    )
    by_network = {}
    for channel in channels:
        by_network.setdefault(channel.network, channel)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            authority=authority,
            name=f"Campagne {n + 1}",
            slug=f"campagne-{n + 1}",
            objective="information_service",
            starts_on=dt.date(2026, 12, 1 + 3 * n),
            ends_on=dt.date(2026, 12, 10 + 3 * n),
            posts_per_week=[3, 200, 5, 400][n % 4],
        )
        for n in range(8)
    )
    audiences = list(authority.audiences.all())
    paris = dt.timezone(dt.timedelta(hours=1))  # December: no change of time
    rng = random.Random(2026)
    rows = []
    for n in range(posts):
        local = dt.datetime(
            2026,
            12,
            1 + n % 31,
            rng.randint(7, 21),
            rng.randrange(0, 60, 5),
            tzinfo=paris,
        )
        rows.append(
            Post(
                authority=authority,
                title=f"Publication {n + 1} : marché, travaux ou fête de quartier",
                state=STATES[n % len(STATES)],
                planned_at=local.astimezone(dt.UTC),
                campaign=campaigns[n % 8] if n % 3 else None,
                created_by=editor,
            )
        )
    rows = Post.objects.bulk_create(rows, batch_size=1000)
    variants = Variant.objects.bulk_create(
        (
            Variant(
                post=post,
                network=network,
                audience=audiences[(post.pk + k) % len(audiences)],
                parts=[post.title],
            )
            for post in rows
            for k, network in enumerate(rng.sample(NETWORKS, 2))
        ),
        batch_size=1000,
    )
    states = {post.pk: post.state for post in rows}
    planned = {post.pk: post.planned_at for post in rows}
    publications = Publication.objects.bulk_create(
        (
            Publication(
                authority=authority,
                variant=variant,
                channel=by_network[variant.network],
                state=PUBLICATION_STATE[states[variant.post_id]],
                scheduled_at=planned[variant.post_id],
                next_attempt_at=planned[variant.post_id],
                state_changed_at=now,
            )
            for variant in variants
            if states[variant.post_id] in HANDED_OVER
        ),
        batch_size=1000,
    )
    return authority, editor, len(variants), len(publications)


def run(args: argparse.Namespace) -> dict:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    authority, editor, variants, publications = populate(args.posts)
    print(
        f"{args.posts} posts, {variants} variants, {publications} publications "
        f"created in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    client = Client()
    client.force_login(editor)
    url = reverse("calendar:month", args=[authority.slug]) + "?mois=2026-12"
    response = client.get(url)  # warm-up: templates compiled, caches filled
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    html_kb = len(response.content) / 1024
    runs = []
    for number in range(1, args.repeat + 1):
        started = time.perf_counter()
        client.get(url)
        runs.append((time.perf_counter() - started) * 1000)
        print(f"request {number}/{args.repeat}: {runs[-1]:.1f} ms", flush=True)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "benchmark": "calendar_month",
        "database": connection.vendor,
        "posts": args.posts,
        "variants": variants,
        "publications": publications,
        "repeat": args.repeat,
        "median_ms": round(statistics.median(runs), 1),
        "max_ms": round(max(runs), 1),
        "runs_ms": [round(value, 1) for value in runs],
        "queries": len(queries),
        "html_kb": round(html_kb, 1),
        "target_ms": TARGET_MS,
    }


def main() -> None:
    args = parse_args()
    with benchmark_database(args.postgres, "calendar"):
        result = run(args)
    print(
        f"{result['database']}: median {result['median_ms']} ms for the month of "
        f"{result['posts']} posts, {result['queries']} queries"
    )
    print(json.dumps(result))
    if result["median_ms"] > TARGET_MS:
        raise SystemExit(f"Slower than the {TARGET_MS:.0f} ms target.")


if __name__ == "__main__":
    main()

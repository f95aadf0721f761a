"""Measurement dashboard: server time of /c/<slug>/mesure/ for an authority with
20,000 publications and 200,000 metric snapshots. Target (issue 8): under 500 ms.

The publications are spread over the last two years (about 27 a day) on six channels
of six networks, half of them in eight campaigns, a third for an audience; each has
ten snapshots (the four milestones and six extra readings, one in fifty an error),
its studio checks, and the channels have a follower count every day. The inbox holds
5,000 citizens' messages. The page is requested through Django's test client, signed
in, DEBUG off; "server time" is the whole request (middleware, reads, template). Three
views: the default (last 30 days), the last 12 months, and all the publications at
once (two years between two dates). The query count comes from one more request.

    .venv/bin/python benchmarks/dashboard.py            # 20 requests per view
    .venv/bin/python benchmarks/dashboard.py --quick    # 5 requests per view
    .venv/bin/python benchmarks/dashboard.py --postgres postgres://postgres@127.0.0.1/test
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

TARGET_MS = 500.0
NETWORKS = ["facebook", "instagram", "x", "linkedin", "mastodon", "bluesky"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=20_000)
    parser.add_argument("--snapshots", type=int, default=10, help="per publication")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests (20)")
    parser.add_argument("--quick", action="store_true", help="5 timed requests")
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL instead of SQLite"
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat = 5
    return args


def populate(count: int, per_publication: int):
    from parvis.accounts.models import User
    from parvis.accounts.roles import Role
    from parvis.accounts.services import membership_set
    from parvis.channels.models import Channel, FollowerSnapshot
    from parvis.inbox.models import Message
    from parvis.planning.models import Campaign
    from parvis.publishing.models import MetricSnapshot, Publication
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
    today = now.date()
    rng = random.Random(2026)
    channels = Channel.objects.bulk_create(
        Channel(
            authority=authority,
            network=network,
            account_id=f"{network}-1",
            handle=f"@saint-malo-{network}",
            credentials_encrypted="-",
        )
        for network in NETWORKS
    )
    FollowerSnapshot.objects.bulk_create(
        (
            FollowerSnapshot(
                channel=channel,
                day=today - dt.timedelta(days=day),
                collected_at=now - dt.timedelta(days=day),
                followers=20_000 - 10 * day,
            )
            for channel in channels
            for day in range(730)
        ),
        batch_size=2000,
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            authority=authority,
            name=f"Campagne {n + 1}",
            slug=f"campagne-{n + 1}",
            objective=["notoriete", "image", "attractivite", "information_service"][
                n % 4
            ],
            starts_on=today - dt.timedelta(days=40 * n + 20),
            ends_on=today - dt.timedelta(days=40 * n - 20),
            kpis=["portee", "taux_engagement", "abonnes_gagnes", "delai_reponse"],
        )
        for n in range(8)
    )
    audiences = list(authority.audiences.all())
    span = 730 * 24 * 3600
    moments = sorted(
        now - dt.timedelta(seconds=rng.randrange(span)) for _ in range(count)
    )
    posts = Post.objects.bulk_create(
        (
            Post(
                authority=authority,
                title=f"Publication {n + 1} : marché, travaux ou fête de quartier",
                state="published",
                campaign=campaigns[n % 8] if n % 2 else None,
                created_by=editor,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    variants = Variant.objects.bulk_create(
        (
            Variant(
                post=post,
                network=NETWORKS[n % 6],
                audience=audiences[n % len(audiences)] if n % 3 == 0 else None,
                parts=[post.title],
                checks={
                    "specificity": {
                        "ok": rng.random() < 0.6,
                        "score": 0.3,
                        "message": "…",
                    },
                    "length": {"ok": True, "score": 120, "message": "…"},
                },
            )
            for n, post in enumerate(posts)
        ),
        batch_size=1000,
    )
    publications = Publication.objects.bulk_create(
        (
            Publication(
                authority=authority,
                variant=variant,
                channel=channels[n % 6],
                state="published",
                scheduled_at=moments[n],
                next_attempt_at=moments[n],
                state_changed_at=moments[n],
                published_at=moments[n],
            )
            for n, variant in enumerate(variants)
        ),
        batch_size=1000,
    )
    offsets = [
        dt.timedelta(hours=1),
        dt.timedelta(days=1),
        dt.timedelta(days=7),
        dt.timedelta(days=30),
    ]
    offsets += [
        dt.timedelta(days=2 + 4 * k) for k in range(max(0, per_publication - 4))
    ]
    milestones = ["1h", "24h", "7d", "30d"]

    def snapshots():
        for publication in publications:
            reach = rng.randint(200, 20_000)
            for k, offset in enumerate(offsets[:per_publication]):
                failed = rng.random() < 0.02
                grown = int(reach * (0.3 + 0.7 * min(1, k / 4)))
                yield MetricSnapshot(
                    publication=publication,
                    collected_at=publication.published_at + offset,
                    milestone=milestones[k] if k < 4 else "",
                    reach=None if failed else grown,
                    impressions=None if failed else int(grown * 1.4),
                    reactions=None if failed else grown // 20,
                    comments=None if failed else grown // 200,
                    shares=None if failed else grown // 300,
                    clicks=None if failed else grown // 100,
                    error="Unavailable: timeout" if failed else "",
                )

    MetricSnapshot.objects.bulk_create(snapshots(), batch_size=5000)
    Message.objects.bulk_create(
        (
            Message(
                authority=authority,
                origin="facebook",
                kind="comment",
                text="Merci pour l'information !",
                received_at=now - dt.timedelta(hours=rng.randrange(730 * 24)),
                sentiment=rng.choice(["positif", "neutre", "negatif"]),
                publication=publications[rng.randrange(count)],
                remote_id=f"c-{n}",
            )
            for n in range(5000)
        ),
        batch_size=1000,
    )
    answered = list(Message.objects.order_by("id").values_list("id", flat=True)[::2])
    for start in range(0, len(answered), 500):
        Message.objects.filter(pk__in=answered[start : start + 500]).update(
            first_response_at=now
        )
    return authority, editor, len(publications), MetricSnapshot.objects.count()


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
    authority, editor, publications, snapshots = populate(
        args.publications, args.snapshots
    )
    print(
        f"{publications} publications, {snapshots} snapshots created in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    client = Client()
    client.force_login(editor)
    base = reverse("insights:dashboard", args=[authority.slug])
    today = dt.date.today()
    views = {
        "30_days": base,
        "12_months": base + "?periode=365",
        "all": base + f"?periode=dates&du={today - dt.timedelta(days=731)}&au={today}",
    }
    result: dict = {
        "benchmark": "dashboard",
        "database": connection.vendor,
        "publications": publications,
        "snapshots": snapshots,
        "repeat": args.repeat,
        "target_ms": TARGET_MS,
    }
    for name, url in views.items():
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        result[name] = {
            "median_ms": round(statistics.median(runs), 1),
            "max_ms": round(max(runs), 1),
            "queries": len(queries),
        }
        print(
            f"{name}: median {result[name]['median_ms']} ms, {len(queries)} queries",
            flush=True,
        )
    return result


def main() -> None:
    args = parse_args()
    with benchmark_database(args.postgres, "dashboard"):
        result = run(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

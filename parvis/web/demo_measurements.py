"""DEMO FIGURES. The demo commune's accounts with two months of past publications,
their counters at each milestone and the followers of every day, so that the
dashboards have something to show. Every number here is generated (a seeded
random.Random: the same figures at every load), none was read from a network.

The demo's channels are stored disconnected, without a token: nothing polls a
network for them and no publication can be scheduled on them. Each network gets
only the counters it really gives (docs/metrics.md): Mastodon and Bluesky no
impressions nor reach, X no reach and no clicks beyond 30 days, and so on. One
milestone and one day are errors, as the collection stores them, so that gaps show.
"""

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import User
from parvis.channels.crypto import encrypt_json
from parvis.channels.models import Channel, ChannelStatus, FollowerSnapshot
from parvis.publishing.archive import archive_record
from parvis.publishing.metrics import COUNTERS, MILESTONES
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState
from parvis.studio.models import Post, PostState
from parvis.territory.models import Authority

SEED = 2027
FOLLOWER_DAYS = 60

# Demo accounts (handles on reserved example domains where the network allows it).
DEMO_CHANNELS: dict[str, dict[str, Any]] = {
    "facebook": {"handle": "villedesaintmalo.demo", "followers": 41_000},
    "instagram": {"handle": "villedesaintmalo.demo", "followers": 18_500},
    "x": {"handle": "VilleStMaloDemo", "followers": 12_800},
    "linkedin": {"handle": "ville-de-saint-malo-demo", "followers": 6_400},
    "mastodon": {"handle": "@ville@social.parvis.example", "followers": 2_100},
    "bluesky": {"handle": "saint-malo.parvis.example", "followers": 2_900},
}
# The counters each network gives (docs/metrics.md); the others stay None.
GIVEN: dict[str, tuple[str, ...]] = {
    "facebook": ("impressions", "reach", "reactions", "comments", "shares", "clicks"),
    "instagram": ("impressions", "reach", "reactions", "comments", "shares"),
    "x": ("impressions", "reactions", "comments", "shares", "clicks"),
    "linkedin": ("impressions", "reach", "reactions", "comments", "shares", "clicks"),
    "mastodon": ("reactions", "comments", "shares"),
    "bluesky": ("reactions", "comments", "shares"),
}
# Share of the final (30-day) counts reached at each milestone.
GROWTH = {"1h": 0.22, "24h": 0.78, "7d": 0.96, "30d": 1.0}

# Past posts written for the demo (not real announcements of the town).
DEMO_PUBLISHED: list[dict[str, Any]] = [
    {
        "title": "Fête du nautisme : initiations gratuites au Sillon",
        "text": "Samedi et dimanche, initiations gratuites à la voile et au paddle "
        "au Sillon, dès 8 ans. Inscription sur place au village nautique.",
        "networks": ["facebook", "instagram", "x", "bluesky"],
        "days_ago": 55,
        "hour": 11,
    },
    {
        "title": "Rentrée scolaire : inscriptions à la cantine ouvertes",
        "text": "Les inscriptions à la restauration scolaire sont ouvertes en "
        "ligne jusqu'au 31 août. Un doute ? Le guichet unique vous répond.",
        "networks": ["facebook", "x", "mastodon"],
        "days_ago": 47,
        "hour": 18,
    },
    {
        "title": "Travaux avenue de Moka : déviation des bus",
        "text": "Du 2 au 13 septembre, les lignes 3 et 4 sont déviées par le "
        "boulevard de la République. Les arrêts Moka et Rocabey sont déplacés.",
        "networks": ["facebook", "x", "bluesky", "mastodon"],
        "days_ago": 38,
        "hour": 8,
    },
    {
        "title": "Journées du patrimoine : le fort National ouvert",
        "text": "Visites libres du fort National à marée basse samedi et "
        "dimanche. Horaires selon les marées sur le site de la ville.",
        "networks": ["facebook", "instagram", "linkedin"],
        "days_ago": 29,
        "hour": 12,
    },
    {
        "title": "Conseil municipal : le budget participatif voté",
        "text": "Le conseil municipal a voté 300 000 € de budget participatif. "
        "Déposez vos projets à partir du 1er octobre.",
        "networks": ["facebook", "x", "linkedin", "bluesky"],
        "days_ago": 16,
        "hour": 19,
    },
    {
        "title": "Collecte des encombrants dans le quartier de Paramé",
        "text": "La collecte des encombrants passe à Paramé le mardi 14. "
        "Sortez-les la veille au soir, sans gêner les piétons.",
        "networks": ["facebook", "mastodon", "bluesky"],
        "days_ago": 6,
        "hour": 17,
    },
    {
        "title": "Semaine bleue : animations pour les seniors",
        "text": "Ateliers, balades et thé dansant pour la Semaine bleue, du "
        "lundi au vendredi. Programme complet dans les maisons de quartier.",
        "networks": ["facebook", "instagram", "x"],
        "days_ago": 2,
        "hour": 10,
    },
]


def demo_measurements_load(commune: Authority) -> None:
    """The demo's accounts, past publications, their snapshots and 60 days of
    followers (DEMO FIGURES, seeded)."""
    rng = random.Random(SEED)
    now = timezone.now()
    channels = {network: _demo_channel(commune, network) for network in DEMO_CHANNELS}
    for item in DEMO_PUBLISHED:
        _demo_post(commune, item, channels, rng, now)
    for network, channel in channels.items():
        _demo_followers(channel, DEMO_CHANNELS[network]["followers"], rng, now)


def _demo_channel(commune: Authority, network: str) -> Channel:
    handle = DEMO_CHANNELS[network]["handle"]
    return Channel.objects.create(
        authority=commune,
        network=network,
        account_id=f"demo-{network}",
        handle=handle,
        display_name=f"Ville de Saint-Malo (démonstration, {network})",
        status=ChannelStatus.DISCONNECTED,  # demo: no token, never polled
        credentials_encrypted=encrypt_json({"access_token": ""}),
    )


def _demo_post(
    commune: Authority,
    item: dict[str, Any],
    channels: dict[str, Channel],
    rng: random.Random,
    now: dt.datetime,
) -> None:
    from parvis.studio.services import post_create_blank

    editor = User.objects.get(email="redaction@parvis.demo")
    post = post_create_blank(
        authority=commune,
        actor=editor,
        title=item["title"],
        text=item["text"],
        networks=item["networks"],
        audience_ids=list(
            commune.audiences.filter(slug="habitants").values_list("pk", flat=True)
        ),
    )
    published_at = (now - dt.timedelta(days=item["days_ago"])).replace(
        hour=item["hour"], minute=0, second=0, microsecond=0
    )
    Post.objects.filter(pk=post.pk).update(
        state=PostState.PUBLISHED, planned_at=published_at
    )
    for variant in post.variants.all():
        channel = channels[variant.network]
        publication = Publication.objects.create(
            authority=commune,
            variant=variant,
            channel=channel,
            state=PublicationState.PUBLISHED,
            scheduled_at=published_at,
            next_attempt_at=published_at,
            state_changed_at=published_at,
            published_at=published_at,
            remote_id=f"demo-{variant.network}-{variant.pk}",
            created_by=editor,
        )
        archive_record(publication=publication)
        _demo_snapshots(publication, channel, rng, now)


def _demo_snapshots(
    publication: Publication, channel: Channel, rng: random.Random, now: dt.datetime
) -> None:
    """Counters at each milestone already reached (DEMO FIGURES)."""
    audience = DEMO_CHANNELS[channel.network]["followers"]
    reach = int(audience * rng.uniform(0.04, 0.22))
    final = {
        "impressions": int(reach * rng.uniform(1.3, 1.9)),
        "reach": reach,
        "reactions": int(reach * rng.uniform(0.015, 0.06)),
        "comments": int(reach * rng.uniform(0.001, 0.008)),
        "shares": int(reach * rng.uniform(0.002, 0.012)),
        "clicks": int(reach * rng.uniform(0.005, 0.03)),
    }
    published_at = publication.published_at
    assert published_at is not None
    for milestone, delay in MILESTONES:
        collected_at = published_at + delay + dt.timedelta(minutes=rng.randint(1, 14))
        if collected_at > now:
            break
        values: dict[str, Any] = dict.fromkeys(COUNTERS)
        for counter in GIVEN[channel.network]:
            values[counter] = round(final[counter] * GROWTH[milestone])
        if channel.network == "x" and milestone == "30d":
            values["clicks"] = None  # non-public metrics end after 30 days
        error = ""
        if channel.network == "x" and milestone == "7d" and publication.pk % 2:
            # An error snapshot, as the collection stores one (demo).
            values = dict.fromkeys(COUNTERS)
            error = (
                "RateLimited: Rate limit exceeded Gave up at the deadline "
                f"{published_at + dt.timedelta(days=8, hours=18):%Y-%m-%d %H:%M} UTC."
            )
        MetricSnapshot.objects.create(
            publication=publication,
            collected_at=collected_at,
            milestone=milestone,
            error=error,
            **values,
        )


def _demo_followers(
    channel: Channel, today_count: int, rng: random.Random, now: dt.datetime
) -> None:
    """One snapshot a day for 60 days, growing to about `today_count` (DEMO
    FIGURES); one day failed on X, as a gap."""
    zone = ZoneInfo(channel.authority.timezone or "Europe/Paris")
    today = timezone.localtime(now, timezone=zone).date()
    count = int(today_count * 0.97)
    rows = []
    for back in range(FOLLOWER_DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        count += max(-3, int(rng.gauss(today_count * 0.0005, today_count * 0.0004)))
        collected_at = dt.datetime.combine(
            day, dt.time(0, rng.randint(5, 50)), tzinfo=zone
        )
        failed = channel.network == "x" and back == 17
        rows.append(
            FollowerSnapshot(
                channel=channel,
                day=day,
                collected_at=collected_at,
                followers=None if failed else count,
                error="Unavailable: x: no answer (ReadTimeout) Gave up at the day's end."
                if failed
                else "",
            )
        )
    FollowerSnapshot.objects.bulk_create(rows)

"""The barometer over this installation's authorities, and one authority among its
peers.

What Parvis knows of an authority stands for an observatory's row: its channels are
its accounts (followers from the latest daily count), the public archive of what it
published its posts (reach from each publication's latest metrics, sponsored when a
boost was recorded), the current versions of its website articles its articles, and
its inbox the response times (first answer minus reception).
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F, OuterRef, Subquery

from parvis.insights.barometer import (
    AuthorityIndicators,
    AuthorityRecords,
    Post,
    authority_indicators,
)


@lru_cache(maxsize=1)
def commune_populations() -> dict[str, int]:
    """INSEE code -> legal population of every current commune (shipped extract)."""
    from parvis.territory.reference import read_extract

    return {row.code: row.population for row in read_extract() if row.kind == "commune"}


def installation_records(
    authority_ids: Iterable[int] | None = None,
) -> list[AuthorityRecords]:
    """The records of this installation's authorities (all, or those given)."""
    from parvis.channels.models import Channel
    from parvis.inbox.models import Message
    from parvis.insights.models import Boost
    from parvis.publishing.models import ArchiveEntry, MetricSnapshot
    from parvis.sources.models import Article
    from parvis.territory.models import Authority

    authorities = Authority.objects.all()
    if authority_ids is not None:
        authorities = authorities.filter(id__in=list(authority_ids))
    records = {
        authority.id: AuthorityRecords(
            kind=authority.kind,
            code=authority.code,
            population=authority.population or None,
        )
        for authority in authorities.only("id", "kind", "code", "population")
    }
    ids = list(records)
    for channel in Channel.objects.filter(authority_id__in=ids).only(
        "authority_id", "network"
    ):
        records[channel.authority_id].accounts.setdefault(channel.network, None)
    for authority_id, network, followers in _latest_followers(ids):
        records[authority_id].accounts[network] = followers
    latest_reach = MetricSnapshot.objects.filter(
        publication=OuterRef("publication_id"), reach__isnull=False
    ).order_by("-collected_at", "-id")
    boosted: set[int | None] = set()
    for authority_id, publication_id in Boost.objects.filter(
        authority_id__in=ids
    ).values_list("authority_id", "publication_id"):
        records[authority_id].boosts += 1
        boosted.add(publication_id)
    entries = (
        ArchiveEntry.objects.filter(authority_id__in=ids, withdrawn_at__isnull=True)
        .annotate(reach=Subquery(latest_reach.values("reach")[:1]))
        .values_list("authority_id", "network", "parts", "publication_id", "reach")
    )
    for authority_id, network, parts, publication_id, reach in entries.iterator():
        records[authority_id].posts.append(
            Post(
                network=network,
                text="\n\n".join(parts),
                sponsored=publication_id is not None and publication_id in boosted,
                reach=reach,
            )
        )
    for authority_id, title, lead, text in (
        Article.objects.filter(authority_id__in=ids, is_current=True)
        .values_list("authority_id", "title", "lead", "text")
        .iterator()
    ):
        records[authority_id].articles.append("\n\n".join((title, lead, text)))
    answered = (
        Message.objects.filter(
            authority_id__in=ids, first_response_at__isnull=False, abuse=False
        )
        .annotate(delay=F("first_response_at") - F("received_at"))
        .values_list("authority_id", "delay")
    )
    for authority_id, delay in answered.iterator():
        records[authority_id].response_hours.append(delay.total_seconds() / 3600)
    return list(records.values())


def _latest_followers(ids: list[int]) -> list[tuple[int, str, int]]:
    from parvis.channels.models import FollowerSnapshot

    latest = FollowerSnapshot.objects.filter(
        channel=OuterRef("pk"), followers__isnull=False
    ).order_by("-collected_at", "-id")
    from parvis.channels.models import Channel

    rows = (
        Channel.objects.filter(authority_id__in=ids)
        .annotate(followers=Subquery(latest.values("followers")[:1]))
        .filter(followers__isnull=False)
        .values_list("authority_id", "network", "followers")
    )
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for authority_id, network, followers in rows:
        totals[(authority_id, network)] += followers
    return [(a, n, f) for (a, n), f in totals.items()]


def installation_indicators(
    authority_ids: Iterable[int] | None = None,
) -> list[AuthorityIndicators]:
    return [authority_indicators(item) for item in installation_records(authority_ids)]


@dataclass(frozen=True)
class Standing:
    """One indicator of an authority beside its peers (same kind)."""

    key: str
    value: float | None
    peers_median: float | None
    better_than: float | None  # share of the peers with a value it does better than
    higher_is_better: bool = True


def standing(
    own: AuthorityIndicators, peers: Sequence[AuthorityIndicators]
) -> list[Standing]:
    """Where `own` stands among `peers` (its kind; itself excluded) on each measure."""
    others = [p for p in peers if p.kind == own.kind and p.code != own.code]

    def written_share(item: AuthorityIndicators) -> float | None:
        share = item.republished_share
        return None if share is None else 1 - share

    measures = [
        ("networks", lambda item: float(len(item.present)), True),
        ("written_share", written_share, True),
        ("organic_reach_rate", lambda item: item.organic_reach_rate, True),
        ("median_response_hours", lambda item: item.median_response_hours, False),
    ]
    result = []
    for key, measure, higher_is_better in measures:
        value = measure(own)
        values = [v for v in (measure(p) for p in others) if v is not None]
        better = None
        if value is not None and values:
            beaten = sum(
                1 for v in values if (v < value if higher_is_better else v > value)
            )
            better = beaten / len(values)
        result.append(
            Standing(
                key=key,
                value=value,
                peers_median=statistics.median(values) if values else None,
                better_than=better,
                higher_is_better=higher_is_better,
            )
        )
    return result

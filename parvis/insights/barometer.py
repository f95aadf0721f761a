"""The barometer: how the authorities of an installation communicate, by kind.

For every authority known (using Parvis, or described by an observatory's file) the
indicators of the problem Parvis solves, then their shares by kind of authority
(région, département, EPCI, commune, and communes by population band):

- *present* on a network: the authority has an account there (or posts from one);
- a post *republishes* when it is a near-copy of one of the same authority's website
  articles (`republication`); an authority *republishes* when at least 50 % of its
  posts do, and communicates in a *specific mode* when at least 80 % of its posts are
  written for the network. An authority without posts does neither; shares are over
  all the authorities of the kind;
- it *sponsors* when at least one of its posts is sponsored;
- organic reach rate of a post = reach / followers, for unsponsored posts whose reach
  and followers are known (the post's followers, else its account's). An authority's
  rate is the median of its posts'; a kind's is the median of its authorities' (those
  with a rate; null when none);
- median response time to citizens (authorities using the inbox only): an authority's
  median delay between a message and its first answer; a kind's is the median of its
  authorities'.
"""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parvis.insights.republication import ArticleIndex

KINDS = ("region", "departement", "epci", "commune")
NETWORKS = ("facebook", "instagram", "x", "linkedin", "mastodon", "bluesky")

# Communes by population band (INSEE legal population): lower bound, slug.
POPULATION_BANDS = (
    (0, "moins-de-1000"),
    (1_000, "1000-3499"),
    (3_500, "3500-9999"),
    (10_000, "10000-49999"),
    (50_000, "50000-et-plus"),
)
UNKNOWN_BAND = "population-inconnue"


def population_band(population: int | None) -> str:
    if population is None:
        return UNKNOWN_BAND
    band = POPULATION_BANDS[0][1]
    for lower, slug in POPULATION_BANDS:
        if population >= lower:
            band = slug
    return band


@dataclass(frozen=True)
class Post:
    network: str
    text: str
    sponsored: bool = False
    reach: int | None = None
    followers: int | None = None


@dataclass
class AuthorityRecords:
    """What is known of one authority: its accounts (network -> followers, None
    when unknown), its posts and its website articles."""

    kind: str
    code: str
    accounts: dict[str, int | None] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    population: int | None = None
    response_hours: list[float] = field(default_factory=list)
    boosts: int = 0  # sponsored boosts recorded apart from the posts


@dataclass(frozen=True)
class AuthorityIndicators:
    kind: str
    code: str
    band: str  # population band for communes, "" otherwise
    present: frozenset[str]
    posts: int
    republished_posts: int
    sponsors: bool
    organic_reach_rate: float | None
    median_response_hours: float | None = None

    @property
    def republished_share(self) -> float | None:
        return self.republished_posts / self.posts if self.posts else None

    @property
    def republishing(self) -> bool:
        # In whole numbers: 0.8 * 15 is 12.000000000000002 in floating point.
        return bool(self.posts) and self.republished_posts * 2 >= self.posts

    @property
    def specific_mode(self) -> bool:
        written = self.posts - self.republished_posts
        return bool(self.posts) and written * 5 >= self.posts * 4


def authority_indicators(records: AuthorityRecords) -> AuthorityIndicators:
    """The indicators of one authority from its records (see the module docstring)."""
    index = ArticleIndex(records.articles)
    republished = sum(1 for post in records.posts if index.republishes(post.text))
    rates = []
    for post in records.posts:
        followers = (
            post.followers
            if post.followers is not None
            else records.accounts.get(post.network)
        )
        if not post.sponsored and post.reach is not None and followers:
            rates.append(post.reach / followers)
    return AuthorityIndicators(
        kind=records.kind,
        code=records.code,
        band=population_band(records.population) if records.kind == "commune" else "",
        present=frozenset(records.accounts) | {post.network for post in records.posts},
        posts=len(records.posts),
        republished_posts=republished,
        sponsors=records.boosts > 0 or any(post.sponsored for post in records.posts),
        organic_reach_rate=statistics.median(rates) if rates else None,
        median_response_hours=(
            statistics.median(records.response_hours)
            if records.response_hours
            else None
        ),
    )


def _share(flags: Iterable[bool], total: int) -> float:
    return sum(flags) / total if total else 0.0


def _median(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def group_summary(
    group: Sequence[AuthorityIndicators], *, response_times: bool = False
) -> dict[str, Any]:
    """The barometer's figures for one group of authorities."""
    total = len(group)
    summary: dict[str, Any] = {
        "authorities": total,
        "present": {
            network: _share((network in item.present for item in group), total)
            for network in NETWORKS
        },
        "specific_mode": _share((item.specific_mode for item in group), total),
        "republishing": _share((item.republishing for item in group), total),
        "sponsoring": _share((item.sponsors for item in group), total),
        "median_organic_reach_rate": _median(item.organic_reach_rate for item in group),
    }
    if response_times:
        summary["median_response_hours"] = _median(
            item.median_response_hours for item in group
        )
    return summary


def summarise(
    indicators: Sequence[AuthorityIndicators], *, response_times: bool = False
) -> dict[str, Any]:
    """`{"by_kind": {KIND: figures}, "all": figures, "communes_by_population":
    {BAND: figures}}`; kinds and bands without any authority are left out."""
    by_kind = {
        kind: group_summary(
            [item for item in indicators if item.kind == kind],
            response_times=response_times,
        )
        for kind in KINDS
        if any(item.kind == kind for item in indicators)
    }
    bands = [slug for _, slug in POPULATION_BANDS] + [UNKNOWN_BAND]
    communes = [item for item in indicators if item.kind == "commune"]
    by_band = {
        band: group_summary(
            [item for item in communes if item.band == band],
            response_times=response_times,
        )
        for band in bands
        if any(item.band == band for item in communes)
    }
    return {
        "by_kind": by_kind,
        "all": group_summary(indicators, response_times=response_times),
        "communes_by_population": by_band,
    }


GROUP_LABELS = {
    "all": "Toutes",
    "region": "Régions",
    "departement": "Départements",
    "epci": "Intercommunalités (EPCI)",
    "commune": "Communes",
    "moins-de-1000": "Communes de moins de 1 000 habitants",
    "1000-3499": "Communes de 1 000 à 3 499 habitants",
    "3500-9999": "Communes de 3 500 à 9 999 habitants",
    "10000-49999": "Communes de 10 000 à 49 999 habitants",
    "50000-et-plus": "Communes de 50 000 habitants et plus",
    UNKNOWN_BAND: "Communes de population inconnue",
}


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per group (kinds, then "all", then communes by band), in the
    order a table shows them: `group`, `label`, `authorities`, `present_<network>`,
    `specific_mode`, `republishing`, `sponsoring`, `median_organic_reach_rate`
    (and `median_response_hours` when computed)."""
    groups: list[tuple[str, dict[str, Any]]] = []
    groups += list(summary["by_kind"].items())
    groups.append(("all", summary["all"]))
    groups += [
        (f"commune:{band}", figures)
        for band, figures in summary["communes_by_population"].items()
    ]
    rows = []
    for group, figures in groups:
        row: dict[str, Any] = {
            "group": group,
            "label": GROUP_LABELS[group.removeprefix("commune:")],
            "authorities": figures["authorities"],
        }
        for network, share in figures["present"].items():
            row[f"present_{network}"] = share
        for key, value in figures.items():
            if key not in {"authorities", "present"}:
                row[key] = value
        rows.append(row)
    return rows

"""Boost advice: which recent publications are worth sponsoring, for whom, with how
much, and what the money would buy, said in plain French.

For each channel on a network that carries ads (Facebook, Instagram, LinkedIn, X):

1. Baseline: the engagement rate (`planning.best_time.engagement_rate`: reactions,
   comments, shares and clicks over reach, else over impressions) of the channel's
   unsponsored publications of the last BASELINE_DAYS days, each read from its
   latest snapshot that gives an audience. Their median and their median absolute
   deviation (MAD, scaled by MAD_SCALE so that it estimates a standard deviation)
   are not pulled by the one viral post that would move a mean. Below MIN_BASELINE
   publications there is no "usual" to compare with: no advice, and the page says
   why.
2. Well above it: a publication of the last CANDIDATE_DAYS days whose rate is at
   least median + MAD_FACTOR × MAD and at least MIN_RATIO × median, seen by at least
   MIN_AUDIENCE people (below, one reaction more or less swings the rate). Both
   bounds are needed: around a tight baseline, 2 MAD can be a few per cent; around a
   scattered one, 1.5 × the median can be common.
3. Fit: not boosted already, not a crisis message, and its campaign's objective is
   one that paid reach serves (notoriété, image, attractivité, information de
   service). Crisis and lien social are set aside with the reason; a publication
   outside any campaign is advised with a note.
4. Audience: the campaign's audiences and their targeting hints, else the
   authority's territory (name, kind, population) as a geographic target.
5. Budget: a small first test from BUDGET_BANDS, by population.
6. Expected reach: budget / cost per 1,000 people reached × 1,000, at most the
   population. The cost is the authority's own (its boosts on that network with an
   amount spent and a reach: total spent / total reach × 1,000), else
   DEFAULT_COST_PER_THOUSAND, an assumption the page names as such (docs/boosts.md).

`advise` is pure (dataclasses in, advice out); `boost_advice_data.boost_advice_for`
reads the database for one authority in a fixed number of queries and calls it.
"""

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

from parvis.insights.boosts import (
    ADVERTISING_NETWORKS,
    NETWORK_LABELS,
    cost_per_thousand,
)
from parvis.insights.charts import percent
from parvis.planning.models import Objective
from parvis.web.templatetags.humanize_fr import thousands

BASELINE_DAYS = 90
CANDIDATE_DAYS = 14
MIN_BASELINE = 10
MAD_FACTOR = 2.0
MAD_SCALE = 1.4826  # MAD × 1.4826 estimates the standard deviation of normal data
MIN_RATIO = 1.5
MIN_AUDIENCE = 50
BOOSTABLE_OBJECTIVES = frozenset(
    {
        Objective.NOTORIETE,
        Objective.IMAGE,
        Objective.ATTRACTIVITE,
        Objective.INFORMATION_SERVICE,
    }
)
# Euros per 1,000 people reached when the authority has no boost of its own to
# learn from: an assumption (docs/boosts.md), rounded up so as not to over-promise.
DEFAULT_COST_PER_THOUSAND = {
    "facebook": Decimal(10),
    "instagram": Decimal(10),
    "linkedin": Decimal(60),
}
# (population up to, lowest, highest budget in euros): one publication, one week.
BUDGET_BANDS: tuple[tuple[int | None, int, int], ...] = (
    (2_000, 10, 20),
    (10_000, 20, 50),
    (50_000, 50, 150),
    (200_000, 100, 300),
    (1_000_000, 200, 600),
    (None, 300, 1_000),
)
KIND_WORDS = {
    "commune": "commune",
    "epci": "intercommunalité",
    "departement": "département",
    "region": "région",
}


@dataclass(frozen=True)
class TargetAudience:
    name: str
    hints: str


@dataclass(frozen=True)
class Measured:
    """One published publication of a channel, as its latest snapshot counts it."""

    publication_id: int
    title: str
    published_at: dt.datetime
    engagement: int
    audience: int  # reach, else impressions
    boosted: bool = False
    objective: str = ""  # of its campaign; "" outside any campaign
    campaign_name: str = ""
    is_crisis: bool = False
    audiences: tuple[TargetAudience, ...] = ()  # of its campaign
    url: str = ""

    @property
    def rate(self) -> float:
        return self.engagement / self.audience if self.audience else 0.0


@dataclass(frozen=True)
class ChannelHistory:
    channel_id: int
    network: str
    label: str  # « Facebook — Ville de Saint-Malo »
    publications: tuple[Measured, ...]


@dataclass(frozen=True)
class Territory:
    name: str
    kind: str
    population: int


@dataclass(frozen=True)
class ReachCost:
    per_thousand: Decimal | None  # euros per 1,000 people reached
    basis: Literal["own", "default", "none"]
    boosts: int = 0  # own boosts it comes from


@dataclass(frozen=True)
class Baseline:
    channel_id: int
    network: str
    label: str
    count: int  # unsponsored publications measured in the window
    median: float | None = None
    mad: float | None = None
    reason: str = ""  # why there is no advice for this channel (French)

    @property
    def ready(self) -> bool:
        return not self.reason

    @property
    def threshold(self) -> float | None:
        if self.median is None or self.mad is None:
            return None
        return max(self.median + MAD_FACTOR * self.mad, MIN_RATIO * self.median)

    @property
    def median_shown(self) -> str:
        return percent(self.median)

    @property
    def mad_shown(self) -> str:
        return percent(self.mad)

    @property
    def threshold_shown(self) -> str:
        return percent(self.threshold)


@dataclass(frozen=True)
class Advice:
    publication: Measured
    baseline: Baseline
    ratio: float  # rate / median
    audience_lines: tuple[str, ...]
    geographic: bool  # the audience is the territory, not the campaign's audiences
    budget: tuple[int, int]
    reach: tuple[int, int] | None  # expected people reached, None without a cost
    cost: ReachCost
    explanation: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetAside:
    """Well above the baseline, but not to be sponsored, and why (French)."""

    publication: Measured
    baseline: Baseline
    ratio: float
    reason: str


@dataclass(frozen=True)
class BoostAdvice:
    baselines: tuple[Baseline, ...]
    advices: tuple[Advice, ...]
    set_aside: tuple[SetAside, ...]


# -- French figures -----------------------------------------------------------------


def count_fr(number: int) -> str:
    return thousands(number)


def euros_fr(amount: Decimal | int) -> str:
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{count_fr(int(value))}\u00a0€"
    whole, cents = f"{value:.2f}".split(".")
    return f"{count_fr(int(whole))},{cents}\u00a0€"


def times_fr(ratio: float) -> str:
    return f"{ratio:.1f}".replace(".", ",")


def _about(people: float) -> int:
    """A reach as an estimate should be written: to the hundred (ten below 1,000)."""
    step = 100 if people >= 1_000 else 10
    return int(round(people / step) * step)


# -- The advice ---------------------------------------------------------------------


def reach_cost(network: str, own: Sequence[tuple[Decimal, int]]) -> ReachCost:
    """The cost of 1,000 people reached on `network`: the authority's own boosts
    (amount spent, reach) when there are any, else the documented default."""
    spent = sum((amount for amount, _people in own), Decimal(0))
    people = sum(people for _amount, people in own)
    own_cost = cost_per_thousand(spent, people) if people and spent > 0 else None
    # A free or rounding-to-nothing cost would promise an endless reach: not used.
    if own_cost:
        return ReachCost(own_cost, "own", boosts=len(own))
    default = DEFAULT_COST_PER_THOUSAND.get(network)
    if default is not None:
        return ReachCost(default, "default")
    return ReachCost(None, "none")


def budget_band(population: int) -> tuple[int, int]:
    for ceiling, low, high in BUDGET_BANDS:
        if ceiling is None or population < ceiling:
            return low, high
    raise AssertionError("BUDGET_BANDS ends with an open band")


def channel_baseline(history: ChannelHistory, *, now: dt.datetime) -> Baseline:
    """The usual engagement rate of the channel (see the module docstring)."""
    network = NETWORK_LABELS.get(history.network, history.network)

    def baseline(**figures: Any) -> Baseline:
        return Baseline(history.channel_id, history.network, history.label, **figures)

    if history.network not in ADVERTISING_NETWORKS:
        return baseline(
            count=0,
            reason=_("%(network)s ne propose pas de publicité : rien à sponsoriser.")
            % {"network": network},
        )
    since = now - dt.timedelta(days=BASELINE_DAYS)
    rates = [
        item.rate
        for item in history.publications
        if not item.boosted and item.audience and item.published_at >= since
    ]
    if len(rates) < MIN_BASELINE:
        return baseline(
            count=len(rates),
            reason=_(
                "%(count)s publication(s) non sponsorisée(s) mesurée(s) sur les "
                "%(days)s derniers jours ; il en faut au moins %(minimum)s pour savoir "
                "ce qui est habituel sur ce compte."
            )
            % {"count": len(rates), "days": BASELINE_DAYS, "minimum": MIN_BASELINE},
        )
    median = statistics.median(rates)
    mad = MAD_SCALE * statistics.median(abs(rate - median) for rate in rates)
    if median <= 0:
        return baseline(
            count=len(rates),
            median=median,
            mad=mad,
            reason=_(
                "Vos publications habituelles n'y suscitent presque aucune "
                "interaction : pas de point de comparaison."
            ),
        )
    return baseline(count=len(rates), median=median, mad=mad)


def _unfit(item: Measured) -> str:
    if item.boosted:
        return _("Déjà sponsorisée.")
    if item.is_crisis or item.objective == Objective.CRISE:
        return _(
            "Message de crise : il passe par vos comptes et les relais officiels ; "
            "acheter de l'audience n'est pas conseillé en crise."
        )
    if item.objective == Objective.LIEN_SOCIAL:
        return _(
            "Campagne de lien social : elle vit de l'échange avec les personnes qui "
            "vous suivent déjà, qu'une audience achetée n'apporte pas."
        )
    if item.objective and item.objective not in BOOSTABLE_OBJECTIVES:
        return _("L'objectif de sa campagne ne justifie pas une sponsorisation.")
    return ""


def _audience(item: Measured, territory: Territory) -> tuple[tuple[str, ...], bool]:
    if item.audiences:
        return (
            tuple(
                f"{audience.name} : {audience.hints}"
                if audience.hints.strip()
                else _("%(name)s (aucune indication de ciblage saisie pour ce public)")
                % {"name": audience.name}
                for audience in item.audiences
            ),
            False,
        )
    place = _("Zone géographique : %(name)s (%(kind)s, %(population)s habitants).") % {
        "name": territory.name,
        "kind": KIND_WORDS.get(territory.kind, territory.kind),
        "population": count_fr(territory.population),
    }
    return (place,), True


def _advice(
    item: Measured,
    baseline: Baseline,
    ratio: float,
    *,
    territory: Territory,
    cost: ReachCost,
) -> Advice:
    network = NETWORK_LABELS.get(baseline.network, baseline.network)
    assert baseline.median is not None
    lines, geographic = _audience(item, territory)
    low, high = budget_band(territory.population)
    first = _(
        "Cette publication a suscité %(ratio)s fois plus d'interactions par personne "
        "touchée que vos publications habituelles sur %(network)s (%(rate)s contre "
        "%(median)s en médiane sur %(days)s jours)."
    ) % {
        "ratio": times_fr(ratio),
        "network": network,
        "rate": percent(item.rate),
        "median": percent(baseline.median),
        "days": BASELINE_DAYS,
    }
    reach: tuple[int, int] | None = None
    notes: list[str] = []
    if not cost.per_thousand:
        second = _(
            "Budget conseillé : %(low)s à %(high)s ; la portée attendue n'est pas "
            "estimée, faute de coût connu sur %(network)s : enregistrez les résultats "
            "d'une première sponsorisation."
        ) % {"low": euros_fr(low), "high": euros_fr(high), "network": network}
    else:
        cap = territory.population
        people = [
            _about(budget * 1000 / float(cost.per_thousand)) for budget in (low, high)
        ]
        if cap:
            people = [min(count, cap) for count in people]
        reach = (people[0], people[1])
        figures = {"network": network, "cost": euros_fr(cost.per_thousand)}
        basis = (
            _(
                "au coût observé de vos sponsorisations passées sur %(network)s "
                "(%(cost)s pour 1\u202f000 personnes touchées)"
            )
            if cost.basis == "own"
            else _(
                "d'après un coût supposé de %(cost)s pour 1\u202f000 personnes "
                "touchées (hypothèse : aucune de vos sponsorisations sur %(network)s "
                "n'a encore de montant dépensé et de portée enregistrés)"
            )
        ) % figures
        second = _(
            "Avec %(low)s à %(high)s, elle toucherait environ %(reach_low)s à "
            "%(reach_high)s personnes, %(basis)s."
        ) % {
            "low": euros_fr(low),
            "high": euros_fr(high),
            "reach_low": count_fr(reach[0]),
            "reach_high": count_fr(reach[1]),
            "basis": basis,
        }
        if cap and reach[1] == cap:
            notes.append(
                _("Portée plafonnée à la population du territoire (%(people)s).")
                % {"people": count_fr(cap)}
            )
    if not item.objective:
        notes.append(
            _(
                "Cette publication n'appartient à aucune campagne : vérifiez que son "
                "objectif (notoriété, image, attractivité ou information de service) "
                "justifie une dépense."
            )
        )
    return Advice(
        publication=item,
        baseline=baseline,
        ratio=ratio,
        audience_lines=lines,
        geographic=geographic,
        budget=(low, high),
        reach=reach,
        cost=cost,
        explanation=f"{first} {second}",
        notes=tuple(notes),
    )


def advise(
    *,
    channels: Sequence[ChannelHistory],
    territory: Territory,
    costs: Mapping[str, ReachCost],
    now: dt.datetime,
) -> BoostAdvice:
    """The advice for these channels (see the module docstring), best ratio first."""
    baselines, advices, set_aside = [], [], []
    recent = now - dt.timedelta(days=CANDIDATE_DAYS)
    for history in channels:
        baseline = channel_baseline(history, now=now)
        baselines.append(baseline)
        threshold = baseline.threshold
        if not baseline.ready or threshold is None or not baseline.median:
            continue
        for item in history.publications:
            if item.published_at < recent or item.audience < MIN_AUDIENCE:
                continue
            if item.rate < threshold:
                continue
            ratio = item.rate / baseline.median
            reason = _unfit(item)
            if reason:
                set_aside.append(SetAside(item, baseline, ratio, reason))
                continue
            cost = costs.get(history.network) or reach_cost(history.network, ())
            advices.append(
                _advice(item, baseline, ratio, territory=territory, cost=cost)
            )
    return BoostAdvice(
        baselines=tuple(baselines),
        advices=tuple(sorted(advices, key=lambda advice: -advice.ratio)),
        set_aside=tuple(set_aside),
    )

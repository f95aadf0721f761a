"""Early warning: a topic that suddenly gets many more messages than usual, or many
more negative ones, is signalled to the communication team.

The method (documented for users in docs/inbox-alerts.md):
- the window is the last `WINDOW_HOURS` whole hours;
- the baseline is the same hours of each of the `BASELINE_DAYS` previous days, so a
  morning is compared with mornings (citizens write little at night);
- with mean m and standard deviation s of those baseline counts, the score of the
  observed count x is z = (x − m) / max(s, √m, 1): √m is the spread a Poisson count
  of mean m would have, so a topic with a short or flat history is not flagged for
  one message more, and 1 keeps a silent topic from alerting at its first messages;
- an alert is raised when z reaches the authority's threshold (3 by default) and x
  reaches a minimum count (`MIN_VOLUME`, `MIN_NEGATIVE`);
- one surge gives one alert: while an alert of the same kind and topic covers the
  previous window, the surge goes on without a new notification.

Messages detected as abuse are left out: a spam flood is not a crisis.
"""

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.roles import Role
from parvis.inbox.models import Alert, Message
from parvis.inbox.services.receive import inbox_settings_of
from parvis.system.services import audit_record, notify
from parvis.territory.vocabularies import Sentiment, Topic

WINDOW_HOURS = 6
BASELINE_DAYS = 28
MIN_VOLUME = 5
MIN_NEGATIVE = 3
TEAM_ROLES = (Role.ADMIN, Role.VALIDATOR, Role.EDITOR)


@dataclass(frozen=True)
class Surge:
    kind: str
    topic: str
    observed: int
    expected: float
    score: float


def surge_score(observed: int, baseline: Iterable[int]) -> tuple[float, float]:
    """(expected count, z-score) of `observed` against the baseline counts."""
    counts = list(baseline)
    mean = statistics.fmean(counts) if counts else 0.0
    spread = statistics.pstdev(counts) if len(counts) > 1 else 0.0
    return mean, (observed - mean) / max(spread, math.sqrt(mean), 1.0)


def surges_in(
    hourly: Mapping[tuple[str, dt.datetime], tuple[int, int]],
    *,
    window_end: dt.datetime,
    threshold: float,
) -> list[Surge]:
    """The surges of the window ending at `window_end`, from counts per (topic,
    hour start): (all messages, negative ones)."""
    window = dt.timedelta(hours=WINDOW_HOURS)
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for (topic, hour), (count, negative) in hourly.items():
        # Day 0 is the observed window; day k the same hours k days before.
        age = window_end - hour
        day, rest = divmod(age - dt.timedelta(hours=1), dt.timedelta(days=1))
        if rest >= window or not 0 <= day <= BASELINE_DAYS:
            continue
        totals[(topic, day)][0] += count
        totals[(topic, day)][1] += negative
    found = []
    for topic in sorted({topic for topic, _day in totals}):
        for index, (kind, minimum) in enumerate(
            ((Alert.Kind.VOLUME, MIN_VOLUME), (Alert.Kind.NEGATIVE, MIN_NEGATIVE))
        ):
            observed = totals.get((topic, 0), [0, 0])[index]
            if observed < minimum:
                continue
            baseline = [
                totals.get((topic, day), [0, 0])[index]
                for day in range(1, BASELINE_DAYS + 1)
            ]
            expected, score = surge_score(observed, baseline)
            if score >= threshold:
                found.append(Surge(kind, topic, observed, expected, score))
    return found


def hourly_counts(
    *, authority: Any, window_end: dt.datetime
) -> dict[tuple[str, dt.datetime], tuple[int, int]]:
    """Messages per topic and hour over the window and its baseline (one query)."""
    start = window_end - dt.timedelta(days=BASELINE_DAYS, hours=WINDOW_HOURS)
    rows = (
        Message.objects.filter(
            authority=authority,
            received_at__gte=start,
            received_at__lt=window_end,
            abuse=False,
        )
        .annotate(hour=TruncHour("received_at", tzinfo=dt.UTC))
        .values("topic", "hour")
        .annotate(
            count=Count("id"),
            negative=Count("id", filter=Q(sentiment=Sentiment.NEGATIF)),
        )
        .order_by()
    )
    return {
        (row["topic"], row["hour"]): (row["count"], row["negative"]) for row in rows
    }


def alerts_detect(*, authority: Any, now: dt.datetime | None = None) -> list[Alert]:
    """Record and notify the surges of the authority's last window. Safe to run
    twice (one alert per kind, topic and window)."""
    now = now or timezone.now()
    window_end = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    window_start = window_end - dt.timedelta(hours=WINDOW_HOURS)
    threshold = inbox_settings_of(authority=authority).alert_threshold
    created = []
    for surge in surges_in(
        hourly_counts(authority=authority, window_end=window_end),
        window_end=window_end,
        threshold=threshold,
    ):
        ongoing = Alert.objects.filter(
            authority=authority,
            kind=surge.kind,
            topic=surge.topic,
            window_end__gte=window_start,
        ).exists()
        if ongoing:
            continue
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    authority=authority,
                    kind=surge.kind,
                    topic=surge.topic,
                    window_start=window_start,
                    window_end=window_end,
                    observed=surge.observed,
                    expected=round(surge.expected, 2),
                    score=round(surge.score, 2),
                )
        except IntegrityError:  # another scheduler got there first
            continue
        _tell(alert)
        created.append(alert)
    return created


def alert_words(alert: Alert) -> str:
    """The alert in one French sentence."""
    values = {
        "topic": Topic(alert.topic).label,
        "count": alert.observed,
        "hours": WINDOW_HOURS,
        "usual": f"{alert.expected:.1f}".replace(".", ","),
    }
    if alert.kind == Alert.Kind.NEGATIVE:
        return (
            _(
                "Montée des messages négatifs sur « %(topic)s » : %(count)s en "
                "%(hours)s h, contre %(usual)s d'habitude."
            )
            % values
        )
    return (
        _(
            "Afflux de messages sur « %(topic)s » : %(count)s en %(hours)s h, "
            "contre %(usual)s d'habitude."
        )
        % values
    )


def _tell(alert: Alert) -> None:
    authority = alert.authority
    url = reverse("inbox:list", args=[authority.slug]) + f"?domaine={alert.topic}"
    words = alert_words(alert)
    notify(authority=authority, roles=TEAM_ROLES, message=words, url=url)
    audit_record(
        actor=None,
        action=f"inbox.alert_{alert.kind}",
        summary=words,
        authority=authority,
        target=alert,
    )


def alerts_detect_all(*, now: dt.datetime | None = None) -> int:
    """`alerts_detect` for every authority that received messages in the window."""
    from parvis.territory.models import Authority

    now = now or timezone.now()
    since = now - dt.timedelta(hours=WINDOW_HOURS + 1)
    ids = (
        Message.objects.filter(received_at__gte=since)
        .values_list("authority", flat=True)
        .distinct()
    )
    total = 0
    for authority in Authority.objects.filter(pk__in=list(ids)):
        total += len(alerts_detect(authority=authority, now=now))
    return total

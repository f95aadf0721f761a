"""Reads of participation, scoped to an authority the caller already checked."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from parvis.participation.models import (
    Consultation,
    Contribution,
    Participant,
    Statement,
    Theme,
    Vote,
)

PUBLIC_PAGE_SIZE = 50


def consultations_of(*, authority: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(authority=authority).annotate(
        contribution_count=Count(
            "contributions",
            filter=Q(contributions__status=Contribution.Status.ACCEPTED),
            distinct=True,
        ),
        pending_count=Count(
            "contributions",
            filter=Q(contributions__status=Contribution.Status.PENDING),
            distinct=True,
        ),
    )


def consultation_of(*, authority: Any, pk: int) -> Consultation:
    found = Consultation.objects.filter(authority=authority, pk=pk).first()
    if found is None:
        raise Http404("No such consultation")
    return found


def public_consultation(*, authority: Any, slug: str) -> Consultation:
    """A published consultation of the authority (open, upcoming or closed)."""
    found = Consultation.objects.filter(
        authority=authority, slug=slug, published=True
    ).first()
    if found is None:
        raise Http404("No such consultation")
    return found


def contribution_of(*, consultation: Consultation, pk: int) -> Contribution:
    found = Contribution.objects.filter(consultation=consultation, pk=pk).first()
    if found is None:
        raise Http404("No such contribution")
    return found


def statement_of(*, consultation: Consultation, pk: int) -> Statement:
    found = Statement.objects.filter(consultation=consultation, pk=pk).first()
    if found is None:
        raise Http404("No such statement")
    return found


def counts_by_status(*, consultation: Consultation) -> dict[str, int]:
    rows = (
        Contribution.objects.filter(consultation=consultation)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {status: 0 for status in Contribution.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def counts_by_origin(*, consultation: Consultation) -> list[tuple[str, int]]:
    labels = dict(Contribution.Origin.choices)
    rows = (
        Contribution.objects.filter(
            consultation=consultation, status=Contribution.Status.ACCEPTED
        )
        .values("origin")
        .annotate(n=Count("id"))
        .order_by("-n", "origin")
    )
    return [(str(labels.get(row["origin"], row["origin"])), row["n"]) for row in rows]


def statements_with_counts(
    *, consultation: Consultation, active_only: bool = False
) -> QuerySet[Statement]:
    statements = Statement.objects.filter(consultation=consultation)
    if active_only:
        statements = statements.filter(active=True)
    return statements.annotate(
        agree=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
        disagree=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
        passed=Count("votes", filter=Q(votes__value=Vote.Value.PASS)),
    )


@dataclass(frozen=True)
class PublicStatement:
    statement: Statement
    my_vote: int | None


def public_statements(
    *, consultation: Consultation, participant: Participant | None
) -> list[PublicStatement]:
    statements = list(
        statements_with_counts(consultation=consultation, active_only=True)
    )
    mine: dict[int, int] = {}
    if participant is not None and consultation.votes_need_email:
        from parvis.participation.services import voter_of

        participant = voter_of(participant)
    if participant is not None:
        mine = dict(
            Vote.objects.filter(
                participant=participant, statement__in=statements
            ).values_list("statement_id", "value")
        )
    return [
        PublicStatement(statement, mine.get(statement.pk)) for statement in statements
    ]


def public_statement(
    *, consultation: Consultation, statement: Statement, participant: Participant | None
) -> PublicStatement:
    """One statement as the public page shows it (withdrawn ones included)."""
    counted = statements_with_counts(consultation=consultation).get(pk=statement.pk)
    if participant is not None and consultation.votes_need_email:
        from parvis.participation.services import voter_of

        participant = voter_of(participant)
    mine = (
        Vote.objects.filter(participant=participant, statement=statement)
        .values_list("value", flat=True)
        .first()
        if participant is not None
        else None
    )
    return PublicStatement(counted, mine)


def public_contributions(*, consultation: Consultation) -> QuerySet[Contribution]:
    """What the public page lists: accepted contributions, and hidden ones as a
    placeholder with their reason (never their text)."""
    return (
        Contribution.objects.filter(
            consultation=consultation,
            status__in=[Contribution.Status.ACCEPTED, Contribution.Status.HIDDEN],
        )
        .filter(
            # A repeated idea is listed with its original; shown alone when the
            # original is not published.
            Q(duplicate_of__isnull=True)
            | ~Q(duplicate_of__status=Contribution.Status.ACCEPTED)
        )
        .annotate(
            supporter_count=Count(
                "supporters",
                filter=Q(supporters__status=Contribution.Status.ACCEPTED),
            )
        )
    )


def theme_of(*, consultation: Consultation, pk: int) -> Theme:
    found = Theme.objects.filter(
        consultation=consultation, pk=pk, merged_into__isnull=True
    ).first()
    if found is None:
        raise Http404("No such theme")
    return found


@dataclass(frozen=True)
class ThemeView:
    theme: Theme
    size: int  # contributions, duplicates included (supporters)
    quotes: list[Contribution]


def themes_with_quotes(*, consultation: Consultation) -> tuple[list[ThemeView], int]:
    """The themes, largest first, with their representative contributions; and the
    number of analysed contributions in no theme ("other")."""
    themes = list(
        Theme.objects.filter(consultation=consultation, merged_into__isnull=True)
        .annotate(
            size=Count(
                "contributions",
                filter=Q(contributions__status=Contribution.Status.ACCEPTED),
            )
        )
        .order_by("-size", "number")
    )
    wanted = {pk for theme in themes for pk in theme.representatives}
    quotes = Contribution.objects.in_bulk(list(wanted))
    views = [
        ThemeView(
            theme,
            theme.size,  # type: ignore[attr-defined]
            [
                quotes[pk]
                for pk in theme.representatives
                if pk in quotes and quotes[pk].status == Contribution.Status.ACCEPTED
            ],
        )
        for theme in themes
    ]
    other = Contribution.objects.filter(
        consultation=consultation,
        status=Contribution.Status.ACCEPTED,
        analysed=True,
        theme__isnull=True,
    ).count()
    return views, other


def opinion_groups(*, consultation: Consultation) -> dict[str, Any]:
    """The stored opinion analysis with the statements' texts in place of their ids."""
    opinions = dict((consultation.analysis or {}).get("opinions") or {})
    if not opinions:
        return {}
    texts = {
        str(pk): text
        for pk, text in Statement.objects.filter(consultation=consultation).values_list(
            "pk", "text"
        )
    }

    def named(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "text": texts.get(str(item.get("statement")), "")}

    opinions["groups"] = [
        {**group, "representative": [named(r) for r in group.get("representative", [])]}
        for group in opinions.get("groups", [])
    ]
    opinions["consensus_agree"] = [
        named(c) for c in opinions.get("consensus_agree", [])
    ]
    opinions["consensus_disagree"] = [
        named(c) for c in opinions.get("consensus_disagree", [])
    ]
    return opinions


def analysis_context(*, consultation: Consultation) -> dict[str, Any]:
    themes, other = themes_with_quotes(consultation=consultation)
    return {
        "themes": themes,
        "other_count": other,
        "opinions": opinion_groups(consultation=consultation),
        "analysis_note": (consultation.analysis or {}).get("themes_note", ""),
    }


def contributions_by_week(*, consultation: Consultation) -> list[tuple[Any, int]]:
    from django.db.models.functions import TruncWeek

    rows = (
        Contribution.objects.filter(
            consultation=consultation, status=Contribution.Status.ACCEPTED
        )
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    return [(row["week"], row["n"]) for row in rows]


def themes_by_week(
    *, consultation: Consultation
) -> tuple[list[Any], list[tuple[str, list[int]]]]:
    """The weeks of the consultation and, per theme (largest first), its published
    contributions in each week: the trend of each theme."""
    from django.db.models.functions import TruncWeek

    rows = (
        Contribution.objects.filter(
            consultation=consultation,
            status=Contribution.Status.ACCEPTED,
            theme__isnull=False,
            theme__merged_into__isnull=True,
        )
        .annotate(week=TruncWeek("created_at"))
        .values("theme__label", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    weeks = sorted({row["week"] for row in rows})
    counts: dict[str, dict[Any, int]] = {}
    for row in rows:
        counts.setdefault(row["theme__label"], {})[row["week"]] = row["n"]
    table = sorted(
        (
            (label, [by_week.get(week, 0) for week in weeks])
            for label, by_week in counts.items()
        ),
        key=lambda item: -sum(item[1]),
    )
    return weeks, table


def report_context(*, consultation: Consultation) -> dict[str, Any]:
    weeks = contributions_by_week(consultation=consultation)
    theme_weeks, theme_trend = themes_by_week(consultation=consultation)
    peak = max((n for _, n in weeks), default=0)
    return {
        "consultation": consultation,
        "counts": counts_by_status(consultation=consultation),
        "origins": counts_by_origin(consultation=consultation),
        "weeks": [(week, n, round(100 * n / peak) if peak else 0) for week, n in weeks],
        "participants": consultation.participants.count(),
        "voters": Vote.objects.filter(statement__consultation=consultation)
        .values("participant")
        .distinct()
        .count(),
        "statements": statements_with_counts(consultation=consultation),
        "theme_weeks": theme_weeks,
        "theme_trend": theme_trend,
        **analysis_context(consultation=consultation),
    }


def open_data_rows(*, consultation: Consultation) -> dict[str, list[dict[str, Any]]]:
    """Published contributions and statements with their votes, without personal
    data: no pseudonym, no e-mail, no network link; personal data written in a text
    (telephone, e-mail, IBAN, house number) masked."""
    from parvis.inbox.personal_data import mask

    contributions = [
        {
            "id": str(contribution.public_id),
            "date": timezone.localdate(contribution.created_at).isoformat(),
            "origine": contribution.origin,
            "theme": contribution.theme.label if contribution.theme else "",
            "doublon_de": str(contribution.duplicate_of.public_id)
            if contribution.duplicate_of
            else "",
            "texte": mask(contribution.text),
        }
        for contribution in Contribution.objects.filter(
            consultation=consultation, status=Contribution.Status.ACCEPTED
        )
        .select_related("theme", "duplicate_of")
        .order_by("created_at", "id")
    ]
    statements = [
        {
            "proposition": statement.text,
            "d_accord": statement.agree,  # type: ignore[attr-defined]
            "pas_d_accord": statement.disagree,  # type: ignore[attr-defined]
            "passe": statement.passed,  # type: ignore[attr-defined]
        }
        for statement in statements_with_counts(consultation=consultation)
    ]
    return {"contributions": contributions, "propositions": statements}

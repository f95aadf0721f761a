"""Reads of participation, scoped to an authority the caller already checked."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from parvis.participation.models import (
    Consultation,
    Contribution,
    Participant,
    Statement,
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
    ).select_related("source")


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
    if participant is not None:
        mine = dict(
            Vote.objects.filter(
                participant=participant, statement__in=statements
            ).values_list("statement_id", "value")
        )
    return [
        PublicStatement(statement, mine.get(statement.pk)) for statement in statements
    ]


def public_contributions(*, consultation: Consultation) -> QuerySet[Contribution]:
    """What the public page lists: accepted contributions, and hidden ones as a
    placeholder with their reason (never their text)."""
    return Contribution.objects.filter(
        consultation=consultation,
        status__in=[Contribution.Status.ACCEPTED, Contribution.Status.HIDDEN],
        duplicate_of__isnull=True,
    ).annotate(supporter_count=Count("supporters"))[:PUBLIC_PAGE_SIZE]

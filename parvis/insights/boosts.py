"""Sponsored boosts of an authority: reads (the list, its totals, the choices of the
form) and writes (create, change, delete, import an ad platform's export).

Every write checks that the actor writes for the authority (WRITE_ROLES), that the
publication and the audience are the authority's own, and the figures (`problems`):
dates in order, no negative amount, no reach above the impressions. Imports go
through `boosts_import.read_export`; a boost already known is updated, never
duplicated: the same network and ad identifier, or, without an identifier, the same
name and dates.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.roles import WRITE_ROLES
from parvis.insights.boosts_import import (
    LAYOUT_LABELS,
    BoostRow,
    UnreadableFile,
    read_export,
)
from parvis.insights.models import Boost
from parvis.planning.selectors import role_of
from parvis.publishing.models import Publication, PublicationState
from parvis.system.services import audit_record
from parvis.territory.vocabularies import Network

# Networks where a post can be sponsored (Mastodon and Bluesky carry no ads).
ADVERTISING_NETWORKS = ("facebook", "instagram", "linkedin", "x")
NETWORK_LABELS: dict[str, str] = dict(Network.choices)
# The form offers the publications of this period (and the one already linked).
PUBLICATION_CHOICE_DAYS = 365
FIELDS = [
    "network",
    "publication",
    "name",
    "target",
    "audience",
    "budget",
    "spent",
    "starts_on",
    "ends_on",
    "reach",
    "impressions",
    "clicks",
]
RESULT_FIELDS = ["spent", "reach", "impressions", "clicks"]


# -- Reads --------------------------------------------------------------------------


def boosts_of(*, authority: Any) -> QuerySet[Boost]:
    """The authority's boosts, newest first, with what the list shows (no N+1)."""
    return (
        Boost.objects.filter(authority=authority)
        .select_related(
            "audience", "publication__channel", "publication__variant__post"
        )
        .order_by("-starts_on", "-id")
    )


def boost_of(*, authority: Any, boost_id: Any) -> Boost:
    try:
        return boosts_of(authority=authority).get(pk=int(boost_id))
    except (Boost.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such boost") from error


@dataclass(frozen=True)
class Totals:
    count: int
    spent: Decimal | None  # sum of the amounts spent reported; None if none
    reach: int | None  # sum of the reach reported; None if none
    cost_per_thousand: Decimal | None  # over the boosts with both figures
    measured: int  # boosts with both an amount spent and a reach


def cost_per_thousand(spent: Decimal, reach: int) -> Decimal | None:
    """Euros per 1,000 people reached, to the cent; None without reach."""
    if not reach:
        return None
    return (spent * 1000 / reach).quantize(Decimal("0.01"))


def boost_totals(boosts: Iterable[Boost]) -> Totals:
    items = list(boosts)
    spent = [boost.spent for boost in items if boost.spent is not None]
    reach = [boost.reach for boost in items if boost.reach is not None]
    both = [
        (boost.spent, boost.reach)
        for boost in items
        if boost.spent is not None and boost.reach
    ]
    paid = sum((amount for amount, _reach in both), Decimal(0))
    people = sum(people for _amount, people in both)
    return Totals(
        count=len(items),
        spent=sum(spent, Decimal(0)) if spent else None,
        reach=sum(reach) if reach else None,
        cost_per_thousand=cost_per_thousand(paid, people) if both else None,
        measured=len(both),
    )


def own_costs(*, authority: Any) -> dict[str, list[tuple[Decimal, int]]]:
    """Per network, (amount spent, reach) of the authority's boosts with both."""
    costs: dict[str, list[tuple[Decimal, int]]] = {}
    rows = Boost.objects.filter(
        authority=authority, spent__isnull=False, reach__gt=0
    ).values_list("network", "spent", "reach")
    for network, spent, reach in rows:
        if spent is not None and reach:
            costs.setdefault(network, []).append((spent, reach))
    return costs


def publication_choices(
    *, authority: Any, keep: Publication | None = None, now: dt.datetime | None = None
) -> QuerySet[Publication]:
    """The authority's published publications of the last year, newest first
    (plus `keep`, the one a boost already points to)."""
    since = (now or timezone.now()) - dt.timedelta(days=PUBLICATION_CHOICE_DAYS)
    published = Publication.objects.filter(
        authority=authority,
        state=PublicationState.PUBLISHED,
        published_at__gte=since,
    )
    if keep is not None:
        published = published | Publication.objects.filter(pk=keep.pk)
    return published.select_related("channel", "variant__post").order_by(
        "-published_at", "-id"
    )


# -- Writes -------------------------------------------------------------------------


def problems(values: dict[str, Any]) -> dict[str, str]:
    """French messages, by field, for figures that cannot be right."""
    found: dict[str, str] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        found["ends_on"] = _("La fin de la sponsorisation ne peut précéder son début.")
    for name, label in (("budget", _("Le budget")), ("spent", _("Le montant dépensé"))):
        amount = values.get(name)
        if amount is not None and amount < 0:
            found[name] = _("%(what)s ne peut pas être négatif.") % {"what": label}
    for name in ("reach", "impressions", "clicks"):
        count = values.get(name)
        if count is not None and count < 0:
            found[name] = _("Indiquez un nombre positif ou laissez vide.")
    reach, impressions = values.get("reach"), values.get("impressions")
    if reach is not None and impressions is not None and reach > impressions:
        found["reach"] = _(
            "La portée ne peut dépasser les impressions : chaque personne touchée a "
            "vu la publicité au moins une fois."
        )
    publication, network = values.get("publication"), values.get("network")
    if publication is not None and network and publication.channel.network != network:
        found["publication"] = _(
            "Cette publication est parue sur %(network)s : choisissez ce réseau ou une "
            "autre publication."
        ) % {"network": publication.channel.get_network_display()}
    if network and network not in ADVERTISING_NETWORKS:
        found["network"] = _("Ce réseau ne propose pas de sponsorisation.")
    return found


def _ensure_writer(actor: Any, authority: Any) -> None:
    if role_of(user=actor, authority=authority) not in WRITE_ROLES:
        raise PermissionDenied(
            _("Votre rôle ne permet pas de modifier les sponsorisations.")
        )


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _plain(value: Any) -> Any:
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def boost_save(
    *, authority: Any, actor: Any, values: dict[str, Any], boost: Boost | None = None
) -> Boost:
    """Create a boost (`boost` None) or change it, from `values` (the fields of
    FIELDS; `publication` and `audience` objects of the authority, or None).
    ValidationError (French, by field) when a figure cannot be right."""
    _ensure_writer(actor, authority)
    for relation in ("publication", "audience"):
        item = values.get(relation)
        if item is not None and item.authority_id != authority.pk:
            raise ValidationError(
                {relation: _("Elle n'appartient pas à la collectivité.")}
            )
    found = problems(values)
    if found:
        raise ValidationError(found)
    creating = boost is None
    if boost is None:
        boost = Boost(
            authority=authority, origin=Boost.Origin.MANUAL, created_by=_person(actor)
        )
        before: dict[str, Any] = {}
    else:
        boost = Boost.objects.select_for_update().get(pk=boost.pk, authority=authority)
        before = {name: getattr(boost, name) for name in FIELDS}
    for name in FIELDS:
        if name in values:
            setattr(boost, name, values[name])
    boost.name = (boost.name or "").strip()
    boost.target = (boost.target or "").strip()
    boost.save()
    audit_record(
        actor=actor,
        authority=authority,
        action="insights.boost_create" if creating else "insights.boost_update",
        summary=(
            _("Sponsorisation « %(name)s » enregistrée.")
            if creating
            else _("Sponsorisation « %(name)s » modifiée.")
        )
        % {"name": boost.name or NETWORK_LABELS.get(boost.network, boost.network)},
        target=boost,
        changes={
            name: [_plain(before.get(name)), _plain(getattr(boost, name))]
            for name in FIELDS
            if before.get(name) != getattr(boost, name)
        },
    )
    return boost


@transaction.atomic
def boost_delete(*, boost: Boost, actor: Any) -> None:
    _ensure_writer(actor, boost.authority)
    audit_record(
        actor=actor,
        authority=boost.authority,
        action="insights.boost_delete",
        summary=_("Sponsorisation « %(name)s » supprimée.")
        % {"name": boost.name or NETWORK_LABELS.get(boost.network, boost.network)},
        target=boost,
        changes={"name": [boost.name, None], "spent": [_plain(boost.spent), None]},
    )
    boost.delete()


@dataclass
class ImportReport:
    file_name: str
    layout: str = ""  # French label of the recognised export
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # lines left out, French
    notices: list[str] = field(default_factory=list)
    error: str = ""  # the whole file was refused (nothing imported)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def boosts_import(
    *, authority: Any, actor: Any, content: bytes, file_name: str
) -> ImportReport:
    """Record the boosts of an ad platform's export (see the module docstring).
    The lines that cannot be read are listed in the report; the others are saved."""
    _ensure_writer(actor, authority)
    report = ImportReport(file_name=file_name)
    try:
        parsed = read_export(content)
    except UnreadableFile as error:
        report.error = str(error)
        return report
    report.layout = LAYOUT_LABELS[parsed.layout]
    report.problems, report.notices = parsed.problems, parsed.notices
    known = Boost.objects.select_for_update().filter(
        authority=authority, network__in={row.network for row in parsed.rows}
    )
    by_id = {(b.network, b.external_id): b for b in known if b.external_id}
    by_name = {
        (b.network, b.name, b.starts_on, b.ends_on): b
        for b in known
        if not b.external_id
    }
    for row in parsed.rows:
        named = (row.network, row.name, row.starts_on, row.ends_on)
        boost = by_id.get((row.network, row.external_id)) if row.external_id else None
        boost = boost or by_name.get(named)  # typed by hand, or an export without ids
        if boost is None:
            boost = _imported(row, authority=authority, actor=actor)
            if row.external_id:
                by_id[(row.network, row.external_id)] = boost
            else:
                by_name[named] = boost
            report.created += 1
        elif _update(boost, row):
            report.updated += 1
        else:
            report.unchanged += 1
    audit_record(
        actor=actor,
        authority=authority,
        action="insights.boosts_import",
        summary=_(
            "Import de « %(file)s » : %(created)s sponsorisations créées, "
            "%(updated)s mises à jour, %(problems)s lignes écartées."
        )
        % {
            "file": file_name,
            "created": report.created,
            "updated": report.updated,
            "problems": len(report.problems),
        },
    )
    return report


def _imported(row: BoostRow, *, authority: Any, actor: Any) -> Boost:
    # The export tells what was spent, rarely the budget set: the budget is the
    # amount spent until someone writes the real one.
    return Boost.objects.create(
        authority=authority,
        network=row.network,
        name=row.name,
        external_id=row.external_id,
        target=row.target,
        budget=row.budget if row.budget is not None else (row.spent or Decimal(0)),
        spent=row.spent,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        reach=row.reach,
        impressions=row.impressions,
        clicks=row.clicks,
        origin=Boost.Origin.IMPORT,
        created_by=_person(actor),
    )


def _update(boost: Boost, row: BoostRow) -> bool:
    """The results of `row` written into `boost`; True when something changed.
    What the team wrote by hand (target, audience, publication) is kept."""
    values: dict[str, Any] = {
        "name": row.name or boost.name,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        **{name: getattr(row, name) for name in RESULT_FIELDS},
    }
    if row.budget is not None:
        values["budget"] = row.budget
    if row.external_id:
        values["external_id"] = row.external_id
    changed = [name for name, value in values.items() if getattr(boost, name) != value]
    for name in changed:
        setattr(boost, name, values[name])
    if changed:
        boost.save(update_fields=changed)
    return bool(changed)

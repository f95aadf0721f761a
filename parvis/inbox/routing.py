"""Where a message goes and by when it should be answered (reads only).

- Service: the report category's service when the citizen chose one, else the first
  service (by name) of the authority whose topics include the message's topic.
- Due date, from the service's delays (territory.Service; defaults when no service):
  urgent → `sla_hours_urgent` clock hours; signalement → `sla_days_signalement`
  working days; question, réclamation, suggestion → `sla_days_question` working days;
  thanks, abuse and the rest → no due date. Working days skip Saturdays, Sundays and
  French public holidays (with Good Friday and 26 December in Alsace-Moselle:
  départements 57, 67, 68), counted in the authority's local time.
- Competence: a message whose competent level is not the authority's own gets a
  polite redirection naming the competent authority from the official reference
  (the commune's EPCI, département or région; the State's services otherwise).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from parvis.territory.models import Authority, Service, Territory

DEFAULT_SLA_HOURS_URGENT = 2
DEFAULT_SLA_DAYS_SIGNALEMENT = 2
DEFAULT_SLA_DAYS_QUESTION = 5
ALSACE_MOSELLE = frozenset({"57", "67", "68"})
QUESTION_LIKE = frozenset({"question", "reclamation", "suggestion"})


@cache
def public_holidays(year: int, *, alsace_moselle: bool = False) -> frozenset[dt.date]:
    """French public holidays of `year` (Code du travail, art. L3133-1; local law
    of Alsace-Moselle adds Good Friday and Saint Stephen's day)."""
    sunday = easter(year)
    days = {
        dt.date(year, 1, 1),
        sunday + dt.timedelta(days=1),  # lundi de Pâques
        dt.date(year, 5, 1),
        dt.date(year, 5, 8),
        sunday + dt.timedelta(days=39),  # Ascension
        sunday + dt.timedelta(days=50),  # lundi de Pentecôte
        dt.date(year, 7, 14),
        dt.date(year, 8, 15),
        dt.date(year, 11, 1),
        dt.date(year, 11, 11),
        dt.date(year, 12, 25),
    }
    if alsace_moselle:
        days |= {sunday - dt.timedelta(days=2), dt.date(year, 12, 26)}
    return frozenset(days)


def is_working_day(day: dt.date, *, alsace_moselle: bool = False) -> bool:
    return day.weekday() < 5 and day not in public_holidays(
        day.year, alsace_moselle=alsace_moselle
    )


def add_working_days(
    start: dt.datetime, days: int, *, timezone_name: str, alsace_moselle: bool = False
) -> dt.datetime:
    """`start` plus `days` working days, at the same local time (a message received
    on a Saturday counts from Monday morning 9 h). Aware UTC in, aware UTC out."""
    zone = ZoneInfo(timezone_name)
    local = start.astimezone(zone)
    day = local.date()
    wall = local.time().replace(tzinfo=None)
    if not is_working_day(day, alsace_moselle=alsace_moselle):
        while not is_working_day(day, alsace_moselle=alsace_moselle):
            day += dt.timedelta(days=1)
        wall = dt.time(9, 0)
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, alsace_moselle=alsace_moselle):
            remaining -= 1
    return dt.datetime.combine(day, wall, tzinfo=zone).astimezone(dt.UTC)


def in_alsace_moselle(authority: Authority) -> bool:
    territory = authority.territory
    code = territory.departement_code or (
        territory.code if territory.kind == "departement" else ""
    )
    return code in ALSACE_MOSELLE


def due_at(
    *,
    authority: Authority,
    service: Service | None,
    intent: str,
    urgency: str,
    received_at: dt.datetime,
) -> dt.datetime | None:
    if urgency == "urgent":
        hours = service.sla_hours_urgent if service else DEFAULT_SLA_HOURS_URGENT
        return received_at + dt.timedelta(hours=hours)
    if intent == "signalement":
        days = service.sla_days_signalement if service else DEFAULT_SLA_DAYS_SIGNALEMENT
    elif intent in QUESTION_LIKE:
        days = service.sla_days_question if service else DEFAULT_SLA_DAYS_QUESTION
    else:
        return None
    return add_working_days(
        received_at,
        days,
        timezone_name=authority.timezone,
        alsace_moselle=in_alsace_moselle(authority),
    )


def service_for(
    *, authority: Authority, topic: str, category: Any = None
) -> Service | None:
    if category is not None and category.service_id:
        service: Service | None = category.service
        return service
    for service in authority.services.all():  # few per authority; prefetched lists
        if topic in (service.topics or []):
            return service
    return None


@dataclass(frozen=True)
class Redirection:
    level: str
    authority_name: str  # the competent authority, or the State's services
    text: str  # a ready polite answer, in French


LEVEL_ORDER = {"commune": 0, "epci": 1, "departement": 2, "region": 3, "etat": 4}


def redirection_for(*, authority: Authority, level: str) -> Redirection | None:
    """None when the authority is itself competent."""
    if level == authority.kind or level not in LEVEL_ORDER:
        return None
    name = competent_authority_name(authority=authority, level=level)
    text = (
        "Bonjour, merci pour votre message. Cette demande relève de "
        f"{name}, qui pourra vous répondre précisément : nous vous invitons à "
        "vous adresser directement à ses services. Nous restons à votre écoute pour "
        "toute question qui concerne notre collectivité."
    )
    return Redirection(level=level, authority_name=name, text=text)


def competent_authority_name(*, authority: Authority, level: str) -> str:
    territory = authority.territory
    if level == "etat":
        return "l'État (préfecture ou service public concerné)"
    code = {
        "epci": territory.epci_code,
        "departement": territory.departement_code,
        "region": territory.region_code,
        "commune": "",
    }.get(level, "")
    match = (
        Territory.objects.filter(kind=level, code=code).values_list("name", flat=True)
        if code
        else None
    )
    found = match.first() if match is not None else None
    if found:
        article = {
            "epci": "l'intercommunalité",
            "departement": "le Département",
            "region": "la Région",
        }.get(level, "")
        return f"{article} ({found})" if article else found
    return {
        "commune": "votre commune",
        "epci": "votre intercommunalité",
        "departement": "votre Département",
        "region": "votre Région",
    }[level]

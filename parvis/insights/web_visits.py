"""Website visits by campaign, imported from the authority's web analytics.

Parvis tags every link it publishes with `utm_source=<network>`,
`utm_medium=social` and `utm_campaign=<the campaign's slug>` (`studio.links`). The
analytics tool counts the visits those links bring; its CSV export, one row per day and
campaign (and source), is imported here. Columns are recognised by name, whichever
of these the tool writes (case and accents ignored):

- day: `date`, `day`, `jour`;
- campaign: `utm_campaign`, `campaign`, `campagne`, `session campaign`,
  `nom de la campagne`, `label` (Matomo's API export of Referrers.getCampaigns);
- source (optional): `utm_source`, `source`, `session source`;
- visits: `visits`, `visites`, `nb_visits` (Matomo), `sessions` (Google Analytics).

Dates as 2026-03-14, 14/03/2026 or 20260314 (Google Analytics). Importing the same
rows again replaces their counts (one row per authority, day, campaign and source).
Rows that cannot be read are reported in French with their line; nothing else is
dropped.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum

from parvis.insights.models import WebVisits
from parvis.nlp.text import strip_accents

ALIASES = {
    "day": ("date", "day", "jour"),
    "campaign": (
        "utm_campaign",
        "campaign",
        "campagne",
        "session campaign",
        "nom de la campagne",
        "label",
    ),
    "source": ("utm_source", "source", "session source"),
    "visits": ("visits", "visites", "nb_visits", "sessions"),
}
MAX_BYTES = 20 * 1024 * 1024
REPORTED = 20


@dataclass
class VisitsImport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    rejected: int = 0


class VisitsFileError(ValueError):
    """The file cannot be read at all (French message)."""


def _key(name: str) -> str:
    return strip_accents(name.strip().casefold()).replace("-", " ")


def _day(value: str) -> dt.date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date illisible « {value[:20]} »")


def _visits(value: str) -> int:
    cleaned = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValueError(f"nombre de visites illisible « {value[:20]} »")
    return int(cleaned)


def read_visits(
    data: bytes,
) -> tuple[list[tuple[dt.date, str, str, int]], VisitsImport]:
    """The rows of an export: (day, campaign, source, visits), and the problems."""
    if len(data) > MAX_BYTES:
        raise VisitsFileError("Le fichier dépasse 20 Mo.")
    try:
        # UTF-16 only with its byte-order mark (spreadsheets' "Unicode text").
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VisitsFileError(
            "Le fichier n'est pas en UTF-8 : exportez-le en « CSV UTF-8 »."
        ) from None
    lines = text.splitlines()
    if not lines:
        raise VisitsFileError("Le fichier est vide.")
    delimiter = max(",;\t", key=lines[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_key(name) for name in next(reader)]
    columns: dict[str, int] = {}
    for role, names in ALIASES.items():
        for name in names:
            if name in header:
                columns[role] = header.index(name)
                break
    missing = [role for role in ("day", "campaign", "visits") if role not in columns]
    if missing:
        labels = {"day": "la date", "campaign": "la campagne", "visits": "les visites"}
        raise VisitsFileError(
            "Colonnes introuvables : "
            + ", ".join(labels[role] for role in missing)
            + " (noms acceptés : "
            + "; ".join(", ".join(ALIASES[role]) for role in missing)
            + ")."
        )
    report = VisitsImport()
    rows: dict[tuple[dt.date, str, str], int] = {}
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        try:
            cells = {
                role: values[index] if index < len(values) else ""
                for role, index in columns.items()
            }
            campaign = cells["campaign"].strip().casefold()[:200]
            if not campaign:
                raise ValueError("campagne vide")
            key = (_day(cells["day"]), campaign, cells.get("source", "").strip()[:100])
            rows[key] = rows.get(key, 0) + _visits(cells["visits"])
        except ValueError as error:
            report.rejected += 1
            if len(report.problems) < REPORTED:
                report.problems.append(f"ligne {reader.line_num} : {error}")
    return [(*key, visits) for key, visits in rows.items()], report


def web_visits_import(*, authority: Any, data: bytes) -> VisitsImport:
    """Store the export's rows for `authority` (replacing the same days' counts)."""
    rows, report = read_visits(data)
    with transaction.atomic():
        for day, campaign, source, visits in rows:
            _, created = WebVisits.objects.update_or_create(
                authority=authority,
                day=day,
                utm_campaign=campaign,
                utm_source=source,
                defaults={"visits": visits},
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report


def campaign_visits(
    authority: Any, *, campaign_slug: str, first_day: dt.date, last_day: dt.date
) -> int | None:
    """Visits brought by the campaign's links between two days (None: no data)."""
    if not campaign_slug:
        return None
    total = WebVisits.objects.filter(
        authority=authority,
        utm_campaign=campaign_slug.casefold(),
        day__gte=first_day,
        day__lte=last_day,
    ).aggregate(total=Sum("visits"))["total"]
    return total

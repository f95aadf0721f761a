"""Reading an ad platform's CSV export into boost rows (pure: bytes in, rows out).

Three layouts are recognised by their header line (docs/boosts.md gives the
sources and the columns):

- Meta Ads Manager, English or French headers ("Reporting starts" / « Début des
  rapports », "Ad name" / « Nom de la publicité », "Reach" / « Couverture »,
  "Amount spent (EUR)" / « Montant dépensé (EUR) », "Link clicks" / « Clics sur un
  lien », optional "Ad ID"); dates ISO or day first;
- LinkedIn Campaign Manager's campaign performance report, after its few lines of
  preamble ("Start Date (in UTC)", "Campaign Name", "Campaign ID", "Total Spent",
  "Impressions", "Clicks", "Reach"); dates month first, as LinkedIn writes them;
- Parvis's own template (reseau, nom, debut, fin, budget, depense, portee,
  impressions, clics, cible, identifiant).

Any of `,`, `;` or tab between cells; UTF-8 with or without BOM, UTF-16 (with
BOM), and Windows-1252 (what Excel writes for "CSV (séparateur : point-virgule)");
amounts as "1 234,50", "1,234.50" or "12,50 €". A line that cannot be read is
reported with its number, in French; the others are kept. Several lines for one ad
(an export broken down by day) become one boost: spending, impressions and clicks
added up, reach left empty because people reached on two days are not two people.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parvis.insights.boosts_cells import (
    RowError,
    UnreadableFile,
    decode,
    parse_amount,
    parse_count,
    parse_date,
)

HEADER_SCAN_LINES = 20
NETWORK_NAMES = {
    "facebook": "facebook",
    "instagram": "instagram",
    "linkedin": "linkedin",
    "x": "x",
    "twitter": "x",
    "x (twitter)": "x",
}


@dataclass(frozen=True)
class BoostRow:
    """One boost as the file describes it; `line` is its first line in the file."""

    line: int
    network: str
    name: str
    external_id: str
    starts_on: dt.date
    ends_on: dt.date
    spent: Decimal | None
    budget: Decimal | None = None
    reach: int | None = None
    impressions: int | None = None
    clicks: int | None = None
    target: str = ""
    lines: tuple[int, ...] = ()  # every line merged into it


@dataclass
class ParsedExport:
    layout: str  # "meta", "linkedin", "parvis"
    rows: list[BoostRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # French, one per bad line
    notices: list[str] = field(default_factory=list)  # French, nothing lost


LAYOUT_LABELS = {
    "meta": "Gestionnaire de publicités Meta",
    "linkedin": "LinkedIn Campaign Manager",
    "parvis": "modèle Parvis",
}

# Column -> the headers that name it (normalised: lower case, no accents, straight
# apostrophes), in order of preference.
META_COLUMNS = {
    "starts_on": ["reporting starts", "debut des rapports"],
    "ends_on": ["reporting ends", "fin des rapports"],
    "external_id": [
        "ad id", "id de la publicite", "identifiant de la publicite",
        "no de la publicite", "n° de la publicite",
        "ad set id", "id de l'ensemble de publicites",
        "campaign id", "id de la campagne",
    ],
    "name": [
        "ad name", "nom de la publicite",
        "ad set name", "nom de l'ensemble de publicites",
        "campaign name", "nom de la campagne",
    ],
    "target": ["ad set name", "nom de l'ensemble de publicites"],
    "reach": ["reach", "couverture"],
    "impressions": ["impressions"],
    "spent": ["amount spent", "montant depense"],
    "clicks": ["link clicks", "clics sur un lien", "clicks (all)", "clics (tous)"],
    "network": ["platform", "plateforme"],
}  # fmt: skip
LINKEDIN_COLUMNS = {
    "starts_on": ["start date (in utc)"],
    "ends_on": ["end date (in utc)", "campaign end date"],
    "external_id": ["campaign id"],
    "name": ["campaign name"],
    "reach": ["reach"],
    "impressions": ["impressions"],
    "spent": ["total spent"],
    "clicks": ["clicks"],
    "currency": ["currency"],
}
PARVIS_COLUMNS = {
    "network": ["reseau"],
    "name": ["nom"],
    "starts_on": ["debut"],
    "ends_on": ["fin"],
    "budget": ["budget"],
    "spent": ["depense"],
    "reach": ["portee"],
    "impressions": ["impressions"],
    "clicks": ["clics"],
    "target": ["cible"],
    "external_id": ["identifiant"],
}
PARVIS_TEMPLATE_HEADER = [names[0] for names in PARVIS_COLUMNS.values()]
# Columns whose value is an amount in the currency written in the header.
CURRENCY_IN_HEADER = re.compile(r"\(([a-z]{3})\)$")


def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.strip().replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.casefold())


def _delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in (";", "\t", ",")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def _layout(headers: list[str]) -> str | None:
    names = set(headers)
    if names & {"reporting starts", "debut des rapports"}:
        return "meta"
    if "start date (in utc)" in names or {"campaign name", "total spent"} <= names:
        return "linkedin"
    if {"reseau", "debut"} <= names:
        return "parvis"
    return None


def _find(headers: list[str], candidates: list[str]) -> int | None:
    for candidate in candidates:
        for index, header in enumerate(headers):
            bare = CURRENCY_IN_HEADER.sub("", header).strip()
            if header == candidate or bare == candidate:
                return index
    return None


def _header(lines: list[str]) -> tuple[int, str, list[str], str]:
    """The header line among the first ones (LinkedIn writes a preamble): its
    number (1-based), the cell separator, its normalised cells and the layout."""
    for number, line in enumerate(lines[:HEADER_SCAN_LINES], start=1):
        delimiter = _delimiter(line)
        headers = [
            normalise(cell) for cell in next(csv.reader([line], delimiter=delimiter))
        ]
        layout = _layout(headers)
        if layout:
            return number, delimiter, headers, layout
    raise UnreadableFile(
        _(
            "Colonnes non reconnues. La ligne d'en-tête doit nommer les colonnes "
            "comme le Gestionnaire de publicités Meta (« Reporting starts » ou "
            "« Début des rapports »…), LinkedIn Campaign Manager (« Start Date (in "
            "UTC) »…) ou le modèle Parvis (reseau, nom, debut, fin…)."
        )
    )


def read_export(content: bytes) -> ParsedExport:
    """The boosts described by an export (see the module docstring); raises
    UnreadableFile when the file as a whole cannot be used."""
    text, notice = decode(content)
    lines = text.splitlines()
    number, delimiter, headers, layout = _header(lines)
    columns_of = {"meta": META_COLUMNS, "linkedin": LINKEDIN_COLUMNS}.get(
        layout, PARVIS_COLUMNS
    )
    columns = {key: _find(headers, names) for key, names in columns_of.items()}
    parsed = ParsedExport(layout=layout)
    if notice:
        parsed.notices.append(notice)
    spent_index = columns.get("spent")
    if spent_index is not None:
        currency = CURRENCY_IN_HEADER.search(headers[spent_index])
        if currency and currency.group(1) != "eur":
            raise UnreadableFile(
                _(
                    "Les montants de ce fichier sont en %(currency)s : Parvis les "
                    "enregistre en euros. Exportez le rapport en EUR."
                )
                % {"currency": currency.group(1).upper()}
            )
    named = columns.get("name") is not None or columns.get("external_id") is not None
    if columns.get("starts_on") is None or not named:
        raise UnreadableFile(
            _("Il manque la date de début ou le nom des publicités dans l'en-tête.")
        )
    report_end = (
        _linkedin_report_end(lines[: number - 1]) if layout == "linkedin" else None
    )
    reader = csv.reader(io.StringIO("\n".join(lines[number:])), delimiter=delimiter)
    previous = 0
    rows: list[BoostRow] = []
    for cells in reader:
        line = number + previous + 1
        previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        try:
            row = _row(cells, columns, layout, line=line, report_end=report_end)
        except RowError as error:
            parsed.problems.append(
                _("Ligne %(line)s : %(reason)s") % {"line": line, "reason": error}
            )
            continue
        if row is None:
            parsed.notices.append(
                _("Ligne %(line)s : ligne de total, ignorée.") % {"line": line}
            )
            continue
        rows.append(row)
    parsed.rows = _merged(rows, parsed.notices)
    return parsed


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _row(
    cells: list[str],
    columns: dict[str, int | None],
    layout: str,
    *,
    line: int,
    report_end: dt.date | None,
) -> BoostRow | None:
    def value(key: str) -> str:
        return _cell(cells, columns.get(key))

    name, external_id = value("name"), value("external_id")
    if not name and not external_id:
        if layout != "parvis":  # the export's line of totals
            return None
        raise RowError(_("ni nom ni identifiant de publicité."))
    month_first = layout == "linkedin"
    starts_on = parse_date(value("starts_on"), month_first=month_first, what=_("début"))
    if starts_on is None:
        raise RowError(_("date de début manquante."))
    ends_on = (
        parse_date(value("ends_on"), month_first=month_first, what=_("fin"))
        or report_end
        or starts_on
    )
    if ends_on < starts_on:
        raise RowError(
            _("la fin (%(end)s) précède le début (%(start)s).")
            % {"end": f"{ends_on:%d/%m/%Y}", "start": f"{starts_on:%d/%m/%Y}"}
        )
    if layout == "linkedin" and value("currency") not in ("", "EUR"):
        raise RowError(
            _("montants en %(currency)s ; Parvis enregistre des euros.")
            % {"currency": value("currency")}
        )
    network = _network(layout, value("network"))
    return BoostRow(
        line=line,
        network=network,
        name=name[:300],
        external_id=external_id[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        spent=parse_amount(value("spent"), what=_("montant dépensé")),
        budget=parse_amount(value("budget"), what=_("budget")),
        reach=parse_count(value("reach"), what=_("portée")),
        impressions=parse_count(value("impressions"), what=_("impressions")),
        clicks=parse_count(value("clicks"), what=_("clics")),
        target=value("target") if layout != "linkedin" else "",
        lines=(line,),
    )


def _network(layout: str, written: str) -> str:
    if layout == "linkedin":
        return "linkedin"
    network = NETWORK_NAMES.get(normalise(written), "")
    if layout == "meta":
        return network if network in ("facebook", "instagram") else "facebook"
    if not network:
        raise RowError(
            _("réseau « %(network)s » inconnu (facebook, instagram, linkedin ou x).")
            % {"network": written}
        )
    return network


def _linkedin_report_end(preamble: list[str]) -> dt.date | None:
    """LinkedIn's preamble: "Report Start: 09/01/2026, Report End: 09/02/2026"."""
    for line in preamble:
        found = re.search(r"Report End:\s*([0-9/]+)", line)
        if found:
            try:
                return parse_date(found.group(1), month_first=True, what="")
            except RowError:
                return None
    return None


def _merged(rows: list[BoostRow], notices: list[str]) -> list[BoostRow]:
    """One row per ad: lines of the same ad (same network and identifier, or name
    when there is no identifier) added up, reach left empty."""
    groups: dict[tuple[str, str], list[BoostRow]] = {}
    for row in rows:
        key = (row.network, row.external_id or "name:" + row.name)
        groups.setdefault(key, []).append(row)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        first = group[0]
        merged.append(
            replace(
                first,
                starts_on=min(row.starts_on for row in group),
                ends_on=max(row.ends_on for row in group),
                spent=_total([row.spent for row in group]),
                budget=_total([row.budget for row in group]),
                reach=None,
                impressions=_total([row.impressions for row in group]),
                clicks=_total([row.clicks for row in group]),
                lines=tuple(row.line for row in group),
            )
        )
        notices.append(
            _(
                "Lignes %(lines)s : une même publicité (« %(name)s ») sur plusieurs "
                "lignes, sans doute un export ventilé par jour. Dépense, impressions "
                "et clics additionnés ; la portée ne s'additionne pas (une personne "
                "touchée deux jours compte une fois) : elle reste vide. Exportez sans "
                "ventilation pour l'avoir."
            )
            % {
                "lines": ", ".join(str(row.line) for row in group),
                "name": first.name or first.external_id,
            }
        )
    return merged


def _total(values: list[Any]) -> Any:
    present = [value for value in values if value is not None]
    if not present:
        return None
    total = present[0]
    for value in present[1:]:
        total += value
    return total

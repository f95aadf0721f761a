"""The barometer page: how the authorities known to the installation communicate, by
kind, with charts and their tables, the definitions, and where the current authority
stands among its peers. Every member reads it; the installation's staff give it an
observatory's file for the authorities that do not publish with Parvis."""

from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.insights import selectors, services
from parvis.insights.barometer import (
    GROUP_LABELS,
    NETWORKS,
    summarise,
    summary_rows,
)
from parvis.insights.barometer_peers import standing
from parvis.insights.charts import Bar, bar_chart, percent
from parvis.insights.forms import ObservatoryImportForm
from parvis.insights.views_dashboard import NETWORK_LABELS
from parvis.planning.views_feeds import csv_response
from parvis.web.templatetags.humanize_fr import hours_fr, thousands

STANDING_LABELS = {
    "networks": gettext_lazy("Réseaux où la collectivité est présente"),
    "written_share": gettext_lazy("Part des publications écrites pour le réseau"),
    "organic_reach_rate": gettext_lazy("Portée organique médiane (portée / abonnés)"),
    "median_response_hours": gettext_lazy("Délai médian de réponse aux citoyens"),
}
TABLE_COLUMNS = [
    "authorities",
    *(f"present_{network}" for network in NETWORKS),
    "specific_mode",
    "republishing",
    "sponsoring",
    "median_organic_reach_rate",
    "median_response_hours",
]


# Below this many authorities a group's figures would show one authority's own (its
# sponsoring, its response time) to the members of another: they are not shown.
MIN_GROUP = 5
HIDDEN = "masqué"


def _masked_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary's rows, with the figures of groups under MIN_GROUP left out."""
    rows = summary_rows(summary)
    for row in rows:
        if row["authorities"] < MIN_GROUP:
            for column in row:
                if column not in {"group", "label", "authorities"}:
                    row[column] = None
            row["hidden"] = True
    return rows


def _table(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the summary with each figure written out in French."""
    return [
        {
            "label": row["label"],
            "cells": [
                thousands(row[column])
                if column == "authorities"
                else HIDDEN
                if row.get("hidden")
                else _shown(column, row.get(column))
                for column in TABLE_COLUMNS
            ],
        }
        for row in _masked_rows(summary)
    ]


def _shown(key: str, value: float | None) -> str:
    if value is None:
        return "n. d."
    if key == "networks":
        return f"{value:.0f}"
    if key == "median_response_hours":
        return hours_fr(value)
    return percent(value)


def _group_choices(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["group"], row["label"]) for row in summary_rows(summary)]


def _figures(summary: dict[str, Any], group: str) -> dict[str, Any]:
    if group == "all":
        return summary["all"]
    if group.startswith("commune:"):
        return summary["communes_by_population"].get(group.removeprefix("commune:"))
    return summary["by_kind"].get(group)


@authority_view()
def barometer(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    population = selectors.barometer_population()
    summary = summarise(population, response_times=True)
    choices = _group_choices(summary)
    group = request.GET.get("groupe") or authority.kind
    figures = _figures(summary, group) if group in dict(choices) else None
    if figures is None:
        group, figures = "all", summary["all"]
    too_small = figures["authorities"] < MIN_GROUP
    presence = [
        Bar(NETWORK_LABELS[n], figures["present"][n], percent(figures["present"][n]))
        for n in NETWORKS
    ]
    modes = [
        Bar(
            _("Mode spécifique"),
            figures["specific_mode"],
            percent(figures["specific_mode"]),
        ),
        Bar(
            _("Republie le site"),
            figures["republishing"],
            percent(figures["republishing"]),
        ),
        Bar(_("Sponsorise"), figures["sponsoring"], percent(figures["sponsoring"])),
    ]
    group_label = dict(choices)[group]
    own = selectors.indicators_of(population, kind=authority.kind, code=authority.code)
    peers = [item for item in population if item.kind == authority.kind]
    few_peers = len(peers) - (1 if own else 0) < MIN_GROUP
    standings = [
        {
            "label": STANDING_LABELS[item.key],
            "value": _shown(item.key, item.value),
            "peers_median": HIDDEN
            if few_peers
            else _shown(item.key, item.peers_median),
            "better_than": HIDDEN if few_peers else percent(item.better_than),
            "higher_is_better": item.higher_is_better,
        }
        for item in (standing(own, population) if own else [])
    ]
    is_staff = request.user.is_staff
    return render(
        request,
        "insights/barometer.html",
        {
            "summary": summary,
            "table": _table(summary),
            "choices": choices,
            "group": group,
            "group_label": group_label,
            "figures": figures,
            "presence": presence,
            "modes": modes,
            "too_small": too_small,
            "min_group": MIN_GROUP,
            "presence_chart": bar_chart(
                presence,
                title=_("Part des collectivités présentes sur chaque réseau : %s")
                % group_label,
                maximum=1,
            ),
            "modes_chart": bar_chart(
                modes,
                title=_("Manière de publier : %s") % group_label,
                maximum=1,
            ),
            "own": own,
            "peers_count": max(0, len(peers) - (1 if own else 0)),
            "kind_label": GROUP_LABELS.get(authority.kind, authority.kind),
            "standings": standings,
            "network_labels": [NETWORK_LABELS[n] for n in NETWORKS],
            "latest_import": selectors.latest_observatory_import(),
            "imports": selectors.observatory_imports() if is_staff else [],
            "form": ObservatoryImportForm() if is_staff else None,
        },
    )


@authority_view()
def barometer_csv(request: HttpRequest) -> StreamingHttpResponse:
    summary = summarise(selectors.barometer_population(), response_times=True)
    rows = _masked_rows(summary)
    header = [key for key in rows[0] if key != "hidden"] if rows else []
    return csv_response(
        header,
        ([_csv_cell(row.get(key)) for key in header] for row in rows),
        filename="barometre.csv",
    )


def _csv_cell(value: Any) -> Any:
    """Shares with four decimals, a French decimal comma, empty when unknown."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return value


@authority_view()
@require_POST
def observatory_import(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    if not request.user.is_staff:
        flash.error(
            request,
            _("Seule l'équipe qui administre l'installation peut déposer un fichier."),
        )
        return redirect("insights:barometer", slug=authority.slug)
    form = ObservatoryImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            flash.error(request, str(error))
        return redirect("insights:barometer", slug=authority.slug)
    services.observatory_import_create(
        upload=form.cleaned_data["file"], actor=request.user
    )
    flash.success(
        request,
        _(
            "Fichier reçu : il est lu en arrière-plan (quelques minutes pour un grand "
            "fichier). Rechargez la page pour voir le résultat."
        ),
    )
    return redirect("insights:barometer", slug=authority.slug)

"""Sponsoring: every member reads the boosts (list, totals, advice, the reach of
each publication) and downloads them; the writers (editor, validator,
administrator) record, change, delete and import them."""

import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.insights import boosts as service
from parvis.insights.boost_advice import (
    BASELINE_DAYS,
    CANDIDATE_DAYS,
    DEFAULT_COST_PER_THOUSAND,
    MIN_BASELINE,
    MIN_RATIO,
    count_fr,
    euros_fr,
)
from parvis.insights.boost_advice_data import boost_advice_for, channel_label
from parvis.insights.boosts_import import PARVIS_TEMPLATE_HEADER
from parvis.insights.boosts_reach import post_reach
from parvis.insights.charts import Bar, bar_chart, percent
from parvis.insights.forms_boosts import BoostForm, BoostImportForm
from parvis.insights.models import Boost
from parvis.planning.views_feeds import csv_response

REACH_PAGE_SIZE = 50
EXPORT_COLUMNS = [
    "Réseau",
    "Nom",
    "Publication",
    "Public",
    "Ciblage",
    "Début",
    "Fin",
    "Budget (€)",
    "Dépensé (€)",
    "Portée payée",
    "Impressions",
    "Clics",
    "Coût pour 1 000 personnes touchées (€)",
    "Origine",
    "Identifiant de la plateforme",
]


def _can_write(request: HttpRequest) -> bool:
    return request.membership.role in WRITE_ROLES  # type: ignore[attr-defined]


def _decimal_fr(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}".replace(".", ",")


def _cost_chart(boosts: list[Any]) -> tuple[list[Bar], Any]:
    """Cost per 1,000 people reached on each network, from the boosts with both
    an amount spent and a reach."""
    spent: dict[str, Decimal] = defaultdict(Decimal)
    people: dict[str, int] = defaultdict(int)
    for boost in boosts:
        if boost.spent is not None and boost.reach:
            spent[boost.network] += boost.spent
            people[boost.network] += boost.reach
    bars = []
    for network in service.ADVERTISING_NETWORKS:
        cost = service.cost_per_thousand(spent[network], people[network])
        if cost is not None:
            bars.append(
                Bar(service.NETWORK_LABELS[network], float(cost), euros_fr(cost))
            )
    chart = bar_chart(bars, title=_("Coût pour 1 000 personnes touchées, par réseau"))
    return bars, chart if bars else None


@authority_view()
def boost_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    boosts = list(service.boosts_of(authority=authority))
    for boost in boosts:
        boost.network_label = service.NETWORK_LABELS.get(boost.network, boost.network)  # type: ignore[attr-defined]
        boost.cost_per_thousand = (  # type: ignore[attr-defined]
            service.cost_per_thousand(boost.spent, boost.reach)
            if boost.spent is not None and boost.reach
            else None
        )
    bars, chart = _cost_chart(boosts)
    can_write = _can_write(request)
    return render(
        request,
        "insights/boosts.html",
        {
            "boosts": boosts,
            "totals": service.boost_totals(boosts),
            "cost_bars": bars,
            "cost_chart": chart,
            "advice": boost_advice_for(authority=authority),
            "can_write": can_write,
            "import_form": BoostImportForm() if can_write else None,
            "template_columns": PARVIS_TEMPLATE_HEADER,
            "rules": {
                "baseline_days": BASELINE_DAYS,
                "candidate_days": CANDIDATE_DAYS,
                "min_baseline": MIN_BASELINE,
                "min_ratio": str(MIN_RATIO).replace(".", ","),
                "defaults": [
                    (service.NETWORK_LABELS[network], euros_fr(cost))
                    for network, cost in DEFAULT_COST_PER_THOUSAND.items()
                ],
            },
        },
    )


@authority_view(roles=WRITE_ROLES)
def boost_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    boost = service.boost_of(authority=authority, boost_id=pk) if pk else None
    initial = {}
    if boost is None and request.GET.get("publication"):
        initial["publication"] = request.GET["publication"]
    form = BoostForm(
        request.POST or None,
        authority=authority,
        instance=boost or Boost(authority=authority),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in service.FIELDS}
        values["name"] = values["name"] or ""
        values["target"] = values["target"] or ""
        try:
            saved = service.boost_save(
                authority=authority, actor=request.user, values=values, boost=boost
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                (
                    _("Sponsorisation enregistrée.")
                    if boost is None
                    else _("Sponsorisation « %(name)s » modifiée.")
                    % {"name": saved.name or saved.starts_on}
                ),
            )
            return redirect("boosts:list", slug=authority.slug)
    return render(request, "insights/boosts_form.html", {"form": form, "boost": boost})


@authority_view(roles=WRITE_ROLES)
def boost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST deletes."""
    authority = request.authority  # type: ignore[attr-defined]
    boost = service.boost_of(authority=authority, boost_id=pk)
    if request.method == "POST":
        service.boost_delete(boost=boost, actor=request.user)
        messages.success(request, _("Sponsorisation supprimée."))
        return redirect("boosts:list", slug=authority.slug)
    return render(request, "insights/boosts_confirm_delete.html", {"boost": boost})


@authority_view(roles=WRITE_ROLES)
@require_POST
def boosts_import(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = BoostImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect("boosts:list", slug=authority.slug)
    upload = form.cleaned_data["file"]
    report = service.boosts_import(
        authority=authority,
        actor=request.user,
        content=upload.read(),
        file_name=upload.name,
    )
    return render(request, "insights/boosts_import.html", {"report": report})


@authority_view()
def boosts_csv(request: HttpRequest) -> HttpResponseBase:
    authority = request.authority  # type: ignore[attr-defined]
    rows = (
        [
            service.NETWORK_LABELS.get(boost.network, boost.network),
            boost.name,
            boost.publication.variant.post.title if boost.publication else "",
            boost.audience.name if boost.audience else "",
            boost.target,
            f"{boost.starts_on:%d/%m/%Y}",
            f"{boost.ends_on:%d/%m/%Y}",
            _decimal_fr(boost.budget),
            _decimal_fr(boost.spent),
            boost.reach,
            boost.impressions,
            boost.clicks,
            _decimal_fr(
                service.cost_per_thousand(boost.spent, boost.reach)
                if boost.spent is not None and boost.reach
                else None
            ),
            boost.get_origin_display(),
            boost.external_id,
        ]
        for boost in service.boosts_of(authority=authority)
    )
    return csv_response(
        EXPORT_COLUMNS, rows, filename=f"sponsorisations-{authority.slug}.csv"
    )


@authority_view()
def boosts_template_csv(request: HttpRequest) -> HttpResponseBase:
    """Parvis's own import template: its header and one example line."""
    example = [
        "facebook",
        "Fête de la mer — sponsorisée",
        "15/06/2027",
        "21/06/2027",
        "80,00",
        "76,40",
        "8200",
        "15100",
        "212",
        "Saint-Malo + 10 km, 18-65 ans",
        "",
    ]
    return csv_response(
        PARVIS_TEMPLATE_HEADER, [example], filename="modele-sponsorisations.csv"
    )


@authority_view()
def boosts_reach(request: HttpRequest) -> HttpResponse:
    """The reach of each publication of the last 90 days: organic rate for the
    unsponsored ones, paid reach beside the sponsored ones."""
    authority = request.authority  # type: ignore[attr-defined]
    rows = post_reach(authority=authority)
    by_channel: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.organic_rate is not None:
            by_channel[channel_label(row.publication.channel)].append(row.organic_rate)
    medians = [
        Bar(label, statistics.median(rates), percent(statistics.median(rates)))
        for label, rates in sorted(by_channel.items())
    ]
    page = Paginator(rows, REACH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/boosts_reach.html",
        {
            "page": page,
            "rows": [
                {
                    "item": row,
                    "rate": percent(row.organic_rate)
                    if row.organic_rate is not None
                    else None,
                    "reach": count_fr(row.reach) if row.reach is not None else None,
                    "followers": count_fr(row.followers)
                    if row.followers is not None
                    else None,
                    "paid": count_fr(row.paid_reach)
                    if row.paid_reach is not None
                    else None,
                }
                for row in page
            ],
            "total": len(rows),
            "medians": medians,
            "medians_chart": bar_chart(
                medians, title=_("Portée organique médiane par compte")
            )
            if medians
            else None,
        },
    )

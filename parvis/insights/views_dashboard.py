"""The measurement dashboard of an authority (and, for agency staff, of each of their
authorities side by side): publications, reach and engagement by channel, followers,
the specific-mode indicator, the inbox, the indicators of each campaign, and the
readings that failed. Every table downloads as CSV; every chart has its table."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.insights import dashboard as figures
from parvis.insights.campaign_kpis import campaigns_kpis
from parvis.insights.charts import DEFAULT_BAR_COLOR, Bar, bar_chart, percent
from parvis.insights.forms_dashboard import DashboardFilterForm
from parvis.insights.specific_mode import specific_mode_by_month
from parvis.insights.web_visits import MAX_BYTES as VISITS_MAX_BYTES
from parvis.insights.web_visits import VisitsFileError, web_visits_import
from parvis.planning.views_feeds import csv_response
from parvis.territory.vocabularies import Network
from parvis.web.templatetags.humanize_fr import hours_fr, thousands

NOT_PROVIDED = "non fourni"
NETWORK_LABELS = dict(Network.choices)


def number(value: float | None) -> str:
    if value is None:
        return NOT_PROVIDED
    return thousands(round(value))


def hours(value: float | None) -> str:
    if value is None:
        return NOT_PROVIDED
    return hours_fr(value)


def share(value: float | None) -> str:
    return NOT_PROVIDED if value is None else percent(value)


NOTHING = "—"  # no publication in the period: nothing to measure, not "not provided"


def _if_any(summary: Any, shown: str) -> str:
    return shown if summary.publications else NOTHING


def _period(
    authority: Any, form: DashboardFilterForm
) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    zone = ZoneInfo(authority.timezone)
    today = timezone.now().astimezone(zone).date()
    first, last = form.days(today)
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
    return first, last, start, end.astimezone(dt.UTC)


def dashboard_tables(authority: Any, form: DashboardFilterForm) -> dict[str, Any]:
    """Every table of the dashboard: lists of rows (first row: headers)."""
    first, last, start, end = _period(authority, form)
    data = form.cleaned_data if form.is_valid() else {}
    channel, campaign, audience = (
        data.get("canal"),
        data.get("campagne"),
        data.get("public"),
    )
    items = figures.publication_figures(
        authority,
        start=start,
        end=end,
        channel_id=channel.pk if channel else None,
        campaign_id=campaign.pk if campaign else None,
        audience_id=audience.pk if audience else None,
    )
    summary = figures.summary_of(items)
    channels = {c.pk: c for c in authority.channels.all()}
    grouped = figures.by_channel(items)
    followers = figures.follower_figures(
        list(channels) if channel is None else [channel.pk],
        start_day=first - dt.timedelta(days=1),
        end_day=last,
    )
    channel_rows = [
        [
            _("Canal"),
            _("Publications"),
            _("Portée"),
            _("Impressions"),
            _("Engagements"),
            _("Taux d'engagement"),
            _("Écrites pour le réseau"),
            _("Abonnés"),
            _("Évolution des abonnés"),
            _("Jours de relevé manqués"),
        ]
    ]
    for channel_id, follower in followers.items():
        chosen = channels[channel_id]
        own = figures.summary_of(grouped.get(channel_id, []))
        channel_rows.append(
            [
                f"{NETWORK_LABELS.get(chosen.network, chosen.network)} — {chosen.handle}",
                number(own.publications),
                _if_any(own, number(own.counters["reach"])),
                _if_any(own, number(own.counters["impressions"])),
                _if_any(own, number(own.engagement)),
                _if_any(own, share(own.engagement_rate)),
                _if_any(own, share(own.specific_share)),
                number(follower.at_end),
                _signed(follower.growth),
                number(follower.days_failed),
            ]
        )
    inbox = figures.inbox_figures(authority, start=start, end=end)
    top = sorted(
        (item for item in items if item.engagement is not None),
        key=lambda item: item.engagement or 0,
        reverse=True,
    )[:10]
    zone = ZoneInfo(authority.timezone)
    top_rows = [
        [
            _("Publication"),
            _("Canal"),
            _("Publiée le"),
            _("Portée"),
            _("Engagements"),
            _("Taux d'engagement"),
        ]
    ] + [
        [
            item.title,
            NETWORK_LABELS.get(item.network, item.network),
            item.published_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
            number(item.counters.get("reach")),
            number(item.engagement),
            share(item.engagement_rate),
        ]
        for item in top
    ]
    months = specific_mode_by_month(authority, today=last)
    specific_rows = [[_("Mois"), *(_label(network) for network in months)]]
    for index, month in enumerate(months[""]):
        specific_rows.append(
            [
                month.month.strftime("%m/%Y"),
                *(_month_cell(series[index]) for series in months.values()),
            ]
        )
    campaigns = (
        [campaign]
        if campaign
        else list(
            authority.campaigns.filter(starts_on__lte=last, ends_on__gte=first)
            .prefetch_related("channels")
            .order_by("starts_on")
        )
    )
    campaign_rows = [[_("Campagne"), _("Objectif"), _("Indicateur"), _("Valeur")]]
    unfiltered = channel is None and audience is None and campaign is None
    kpis = campaigns_kpis(
        authority, campaigns, known=(start, end, items) if unfiltered else None
    )
    for item in campaigns:
        for kpi in kpis[item.pk]:
            campaign_rows.append(
                [
                    item.name,
                    item.get_objective_display(),
                    kpi.label,
                    share(kpi.value)
                    if kpi.unit == "share"
                    else hours(kpi.value)
                    if kpi.unit == "hours"
                    else number(kpi.value),
                ]
            )
    failures, latest_failures = figures.collection_problems(
        authority, start=start, end=end
    )
    return {
        "first": first,
        "last": last,
        "summary": summary,
        "inbox": inbox,
        "items": items,
        "grouped": grouped,
        "channels": channels,
        "months": months,
        "tables": {
            "canaux": channel_rows,
            "publications": top_rows,
            "mode_specifique": specific_rows,
            "campagnes": campaign_rows,
        },
        "failures": failures,
        "latest_failures": latest_failures,
    }


def _label(network: str) -> str:
    return _("Tous réseaux") if not network else NETWORK_LABELS.get(network, network)


def _month_cell(month: Any) -> str:
    if not month.total:
        return "—"
    return f"{percent(month.share)} ({month.written}/{month.total})"


def _signed(value: int | None) -> str:
    if value is None:
        return NOT_PROVIDED
    return ("+" if value > 0 else "") + number(value)


def dashboard_display(
    context: dict[str, Any], *, color: str = DEFAULT_BAR_COLOR
) -> dict[str, Any]:
    """The key figures and the charts of the dashboard's tables (page and report;
    `color`: the bars' colour where no stylesheet applies, in the PDF)."""
    summary, inbox = context["summary"], context["inbox"]
    channels, grouped = context["channels"], context["grouped"]
    reach_bars = [
        Bar(
            f"{_label(channels[channel_id].network)} {channels[channel_id].handle}",
            figures.total(items, "reach"),
            number(figures.total(items, "reach")),
        )
        for channel_id, items in grouped.items()
    ]
    month_bars = [
        Bar(month.month.strftime("%m/%Y"), month.share, _month_cell(month))
        for month in context["months"][""]
    ]
    return {
        "key_figures": [
            (_("Publications"), number(summary.publications)),
            (_("Portée cumulée"), _if_any(summary, number(summary.counters["reach"]))),
            (
                _("Impressions"),
                _if_any(summary, number(summary.counters["impressions"])),
            ),
            (_("Engagements"), _if_any(summary, number(summary.engagement))),
            (_("Taux d'engagement"), _if_any(summary, share(summary.engagement_rate))),
            (
                _("Écrites pour le réseau"),
                _if_any(summary, share(summary.specific_share)),
            ),
            (_("Messages reçus"), number(inbox.received)),
            (_("Taux de réponse"), share(inbox.reply_rate)),
            (_("Délai de réponse médian"), hours(inbox.median_response_hours)),
        ],
        "reach_chart": (
            bar_chart(reach_bars, title=_("Portée cumulée par canal"), color=color)
            if reach_bars
            else ""
        ),
        "month_chart": bar_chart(
            month_bars,
            title=_("Part des publications écrites pour le réseau, mois par mois"),
            maximum=1,
            color=color,
        ),
    }


@authority_view()
def dashboard(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = DashboardFilterForm(request.GET or None, authority=authority)
    context = dashboard_tables(authority, form)
    table = request.GET.get("tableau")
    if table in context["tables"]:
        header, *rows = context["tables"][table]
        return csv_response(header, rows, filename=f"{authority.slug}-{table}.csv")
    return render(
        request,
        "insights/dashboard.html",
        {
            **context,
            **dashboard_display(context),
            "form": form,
            "query": request.GET.urlencode(),
            "visits_form": (
                VisitsUploadForm()
                if request.membership.role in WRITE_ROLES  # type: ignore[attr-defined]
                else None
            ),
        },
    )


@login_required
def agency_dashboard(request: HttpRequest) -> HttpResponse:
    """Each of the user's authorities side by side, over the last 30 days."""
    from parvis.accounts.models import Membership

    memberships = (
        Membership.objects.filter(user_id=request.user.pk or 0)
        .select_related("authority")
        .order_by("authority__name")
    )
    rows = []
    for membership in memberships:
        authority = membership.authority
        form = DashboardFilterForm(None, authority=authority)
        _first, _last, start, end = _period(authority, form)
        items = figures.publication_figures(authority, start=start, end=end)
        summary = figures.summary_of(items)
        inbox = figures.inbox_figures(authority, start=start, end=end)
        rows.append(
            {
                "authority": authority,
                "cells": [
                    number(summary.publications),
                    _if_any(summary, number(summary.counters["reach"])),
                    _if_any(summary, share(summary.engagement_rate)),
                    _if_any(summary, share(summary.specific_share)),
                    share(inbox.reply_rate),
                    hours(inbox.median_response_hours),
                ],
            }
        )
    return render(request, "insights/agency.html", {"rows": rows})


class VisitsUploadForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Export CSV de l'outil de mesure d'audience du site"),
        help_text=gettext_lazy(
            "Une ligne par jour et par campagne : date, campagne (utm_campaign), "
            "visites ; la source si elle y est."
        ),
    )

    def clean_fichier(self) -> Any:
        upload = self.cleaned_data["fichier"]
        if (upload.size or 0) > VISITS_MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 20 Mo."))
        return upload


@authority_view(roles=WRITE_ROLES)
@require_POST
def visits_import(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = VisitsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("fichier", []) or [
            _("Choisissez le fichier CSV à importer.")
        ]:
            flash.error(request, str(error))
        return redirect("insights:dashboard", slug=authority.slug)
    try:
        report = web_visits_import(
            authority=authority, data=form.cleaned_data["fichier"].read()
        )
    except VisitsFileError as error:
        flash.error(request, str(error))
        return redirect("insights:dashboard", slug=authority.slug)
    flash.success(
        request,
        _("Visites importées : %(created)s nouvelles lignes, %(updated)s mises à jour.")
        % {"created": report.created, "updated": report.updated},
    )
    if report.rejected:
        flash.warning(
            request,
            _("%(count)s lignes écartées : %(problems)s")
            % {"count": report.rejected, "problems": " ; ".join(report.problems[:5])},
        )
    return redirect("insights:dashboard", slug=authority.slug)

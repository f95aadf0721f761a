"""The monthly report: the page of one month, its PDF, and who receives it each
month (chosen by the authority's administrators and validators)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import AUDIT_ROLES
from parvis.insights import reports
from parvis.insights.models import MonthlyReport, MonthlyReportSettings
from parvis.web.pdf import PdfUnavailable

MONTHS_OFFERED = 24


class RecipientsForm(forms.Form):
    destinataires = forms.CharField(
        label=gettext_lazy("Destinataires du rapport mensuel"),
        help_text=gettext_lazy("Une adresse e-mail par ligne ; vide : pas d'envoi."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean_destinataires(self) -> list[str]:
        return reports.recipients_clean(self.cleaned_data["destinataires"])


def _months(authority: Any) -> list[dt.date]:
    today = timezone.now().astimezone(ZoneInfo(authority.timezone)).date()
    months = [today.replace(day=1)]
    for _month in range(MONTHS_OFFERED - 1):
        months.append(reports.previous_month(months[-1]))
    return months


def _chosen_month(request: HttpRequest, authority: Any) -> dt.date:
    months = _months(authority)
    value = request.GET.get("mois", "")
    for month in months:
        if value == f"{month:%Y-%m}":
            return month
    return months[1]  # the last full month


@authority_view()
def report(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    month = _chosen_month(request, authority)
    chosen = MonthlyReportSettings.objects.filter(authority=authority).first()
    recipients = list(chosen.recipients) if chosen else []
    can_choose = request.membership.role in AUDIT_ROLES  # type: ignore[attr-defined]
    return render(
        request,
        "insights/report.html",
        {
            **reports.report_context(authority, month),
            "month_value": f"{month:%Y-%m}",
            "months_offered": [
                (f"{m:%Y-%m}", reports.month_label(m)) for m in _months(authority)
            ],
            "recipients": recipients,
            "recipients_form": (
                RecipientsForm(initial={"destinataires": "\n".join(recipients)})
                if can_choose
                else None
            ),
            "sent": MonthlyReport.objects.filter(authority=authority)[:6],
        },
    )


@authority_view()
def report_pdf(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    month = _chosen_month(request, authority)
    try:
        data = reports.monthly_report_pdf(authority, month)
    except PdfUnavailable:
        flash.error(
            request,
            _(
                "Le PDF ne peut pas être produit sur ce serveur (bibliothèque Pango "
                "absente) : imprimez ce rapport en PDF depuis le navigateur."
            ),
        )
        return redirect("insights:report", slug=authority.slug)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="parvis-{authority.slug}-{month:%Y-%m}.pdf"'
    )
    return response


@authority_view(roles=AUDIT_ROLES)
@require_POST
def report_recipients(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = RecipientsForm(request.POST)
    if form.is_valid():
        reports.monthly_report_settings_save(
            authority=authority,
            recipients=form.cleaned_data["destinataires"],
            actor=request.user,
        )
        flash.success(request, _("Destinataires du rapport mensuel enregistrés."))
    else:
        for error in form.errors.get("destinataires", []):
            flash.error(request, str(error))
    return redirect("insights:report", slug=authority.slug)

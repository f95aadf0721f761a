"""The monthly measurement report of an authority: the dashboard's figures and charts
for one calendar month (in the authority's timezone), as an HTML page and a PDF, sent
by e-mail with the PDF attached to the recipients the authority chose, once a month,
by the scheduler. A month is sent once: its row is claimed before the e-mail goes; a
failed sending is tried again at the next runs, up to `MAX_ATTEMPTS`."""

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.insights.forms_dashboard import DashboardFilterForm
from parvis.insights.models import MonthlyReport, MonthlyReportSettings
from parvis.web.pdf import PdfUnavailable, render_pdf
from parvis.web.templatetags.humanize_fr import MONTHS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_RECIPIENTS = 20


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_last_day(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def report_context(authority: Any, month: dt.date) -> dict[str, Any]:
    """The dashboard's tables, key figures and charts for `month`."""
    from parvis.insights.views_dashboard import dashboard_display, dashboard_tables
    from parvis.web.theme import theme_for

    form = DashboardFilterForm(
        {"periode": "dates", "du": month, "au": month_last_day(month)},
        authority=authority,
    )
    context = dashboard_tables(authority, form)
    theme = theme_for(authority)
    return {
        **context,
        **dashboard_display(context, color=theme["primary"]),
        "authority": authority,
        "theme": theme,
        "month": month,
        "month_label": month_label(month),
    }


def monthly_report_pdf(authority: Any, month: dt.date) -> bytes:
    return render_pdf(
        "insights/report_pdf.html",
        report_context(authority, month),
        base_url=settings.SITE_URL + "/",
    )


def recipients_clean(text: str) -> list[str]:
    """Addresses written one per line (or separated by commas or semicolons),
    checked; ValidationError in French naming the wrong ones."""
    addresses = [
        item.strip().lower()
        for line in text.replace(";", "\n").replace(",", "\n").splitlines()
        if (item := line.strip())
    ]
    wrong = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError(
            "Adresses e-mail non valables : %(wrong)s",
            params={"wrong": ", ".join(wrong[:5])},
        )
    unique = list(dict.fromkeys(addresses))
    if len(unique) > MAX_RECIPIENTS:
        raise ValidationError(
            "Au plus %(max)s destinataires.", params={"max": MAX_RECIPIENTS}
        )
    return unique


def monthly_report_settings_save(
    *, authority: Any, recipients: list[str], actor: Any
) -> MonthlyReportSettings:
    from parvis.system.services import audit_record

    before = MonthlyReportSettings.objects.filter(authority=authority).first()
    saved, _ = MonthlyReportSettings.objects.update_or_create(
        authority=authority,
        defaults={"recipients": recipients, "updated_by": actor},
    )
    audit_record(
        authority=authority,
        actor=actor,
        action="insights.report_recipients",
        summary=f"Destinataires du rapport mensuel : {len(recipients)}",
        target=saved,
        changes={
            "recipients": [before.recipients if before else [], recipients],
        },
    )
    return saved


def _claim(
    authority: Any, month: dt.date, recipients: list[str]
) -> MonthlyReport | None:
    """The report row to send now, or None when it was sent or is being sent."""
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                authority=authority,
                month=month,
                state=MonthlyReport.State.SENDING,
                recipients=recipients,
                attempts=1,
            )
    except IntegrityError:
        pass
    retried = MonthlyReport.objects.filter(
        authority=authority,
        month=month,
        state=MonthlyReport.State.FAILED,
        attempts__lt=MAX_ATTEMPTS,
    )
    report = retried.first()
    if report is None:
        return None
    claimed = retried.filter(pk=report.pk, attempts=report.attempts).update(
        state=MonthlyReport.State.SENDING, attempts=report.attempts + 1
    )
    if not claimed:
        return None
    report.refresh_from_db()
    return report


def monthly_report_send(*, authority: Any, month: dt.date) -> MonthlyReport | None:
    """Send `month`'s report of `authority` if it is due and not sent yet."""
    chosen = MonthlyReportSettings.objects.filter(authority=authority).first()
    if chosen is None or not chosen.recipients:
        return None
    report = _claim(authority, month, list(chosen.recipients))
    if report is None:
        return None
    label = month_label(month)
    try:
        data = monthly_report_pdf(authority, month)
        email = EmailMessage(
            subject=f"[Parvis] {authority.name} : mesure de {label}",
            body=(
                f"Bonjour,\n\nVoici le rapport mensuel de mesure de {authority.name} "
                f"pour {label} : publications, portée, engagement, part des "
                "messages écrits pour chaque réseau, réponses aux citoyens et "
                "indicateurs des campagnes.\n\nLe tableau de bord à jour : "
                f"{settings.SITE_URL}/c/{authority.slug}/mesure/\n\n"
                "Vous recevez ce message parce que votre collectivité vous a "
                "inscrit·e à ce rapport dans Parvis."
            ),
            # Each recipient sees only their own address.
            bcc=report.recipients,
        )
        email.attach(
            f"parvis-{authority.slug}-{month:%Y-%m}.pdf", data, "application/pdf"
        )
        email.send()
    except (PdfUnavailable, Exception) as error:
        logger.exception("Monthly report %s of %s failed", month, authority.slug)
        report.state = MonthlyReport.State.FAILED
        report.error = f"{type(error).__name__}: {error}"[:1000]
        report.save(update_fields=["state", "error"])
        return report
    report.state = MonthlyReport.State.SENT
    report.sent_at = timezone.now()
    report.error = ""
    report.save(update_fields=["state", "sent_at", "error"])
    return report


def monthly_reports_send_due(now: dt.datetime | None = None) -> int:
    """The scheduler's job: last month's report of every authority with recipients
    (in its own timezone), once. Returns how many were sent now."""
    now = now or timezone.now()
    sent = 0
    for chosen in MonthlyReportSettings.objects.select_related("authority"):
        if not chosen.recipients:
            continue
        authority = chosen.authority
        today = now.astimezone(ZoneInfo(authority.timezone)).date()
        report = monthly_report_send(authority=authority, month=previous_month(today))
        if report is not None and report.state == MonthlyReport.State.SENT:
            sent += 1
    return sent

"""The team's screens of participation: the consultations, one consultation's page
(figures, moderation queue, contributions, statements), the consultation form.
Every member reads; writers (editor, validator, administrator) create, moderate and
write statements. Citizens' words are escaped by the templates (no `|safe`)."""

import functools
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.participation import selectors, services
from parvis.participation.forms import ConsultationForm, HideForm, StatementForm
from parvis.participation.models import Consultation, Contribution

FIELDS = [name for name in ConsultationForm.Meta.fields if name != "publications"]
SHOWN = 100


def _can_write(request: HttpRequest) -> bool:
    return request.membership.role in WRITE_ROLES  # type: ignore[attr-defined]


@authority_view()
def consultation_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "participation/consultation_list.html",
        {
            "consultations": selectors.consultations_of(authority=authority),
            "can_write": _can_write(request),
            "now": timezone.now(),
        },
    )


@authority_view(roles=WRITE_ROLES)
def consultation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk) if pk else None
    with timezone.override(authority.timezone):
        form = ConsultationForm(
            request.POST or None,
            request.FILES or None,
            authority=authority,
            instance=consultation or Consultation(authority=authority),
        )
        valid = request.method == "POST" and form.is_valid()
        if valid:
            values: dict[str, Any] = {name: form.cleaned_data[name] for name in FIELDS}
            values["publications"] = [p.pk for p in form.cleaned_data["publications"]]
            try:
                saved = services.consultation_save(
                    authority=authority,
                    actor=request.user,
                    values=values,
                    consultation=consultation,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                flash.success(request, _("Consultation enregistrée."))
                return redirect(
                    "participation:detail", slug=authority.slug, pk=saved.pk
                )
        return render(
            request,
            "participation/consultation_form.html",
            {"form": form, "consultation": consultation},
        )


def _detail(
    request: HttpRequest, consultation: Consultation, **extra: Any
) -> HttpResponse:
    contributions = Contribution.objects.filter(
        consultation=consultation
    ).select_related("participant", "duplicate_of")
    context = {
        "consultation": consultation,
        "counts": selectors.counts_by_status(consultation=consultation),
        "origins": selectors.counts_by_origin(consultation=consultation),
        "pending": contributions.filter(status=Contribution.Status.PENDING).order_by(
            "created_at", "id"
        )[:SHOWN],
        "accepted": contributions.filter(status=Contribution.Status.ACCEPTED)[:SHOWN],
        "hidden": contributions.filter(status=Contribution.Status.HIDDEN)[:SHOWN],
        "statements": selectors.statements_with_counts(consultation=consultation),
        "statement_form": _statement_form(request, consultation),
        "hide_form": HideForm(),
        "participants": consultation.participants.count(),
        "can_write": _can_write(request),
        "is_open": consultation.is_open(),
        "now": timezone.now(),
        **selectors.analysis_context(consultation=consultation),
    }
    context.update(extra)
    return render(request, "participation/consultation_detail.html", context)


def _statement_form(request: HttpRequest, consultation: Consultation) -> StatementForm:
    """Empty, or filled from the contribution a moderator chose to propose
    (?proposer=<id>), to shorten before adding."""
    chosen = request.GET.get("proposer", "")
    if chosen.isdigit():
        source = Contribution.objects.filter(
            consultation=consultation,
            pk=int(chosen),
            status=Contribution.Status.ACCEPTED,
        ).first()
        if source is not None:
            return StatementForm(
                initial={"text": source.text[:400], "source": source.pk}
            )
    return StatementForm()


@authority_view()
def consultation_show(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    return _detail(request, consultation)


@authority_view(roles=WRITE_ROLES)
@require_POST
def contribution_moderate(
    request: HttpRequest, pk: int, contribution: int
) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    item = selectors.contribution_of(consultation=consultation, pk=contribution)
    accept = request.POST.get("decision") == "accept"
    try:
        services.contribution_moderate(
            contribution=item,
            actor=request.user,
            accept=accept,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        form = HideForm(request.POST)
        form.is_valid()
        form.add_error("reason", error)
        return _detail(request, consultation, hide_form=form, hide_error_for=item.pk)
    flash.success(
        request, _("Contribution publiée.") if accept else _("Contribution masquée.")
    )
    return redirect("participation:detail", slug=authority.slug, pk=consultation.pk)


@authority_view(roles=WRITE_ROLES)
@require_POST
def statement_create(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    form = StatementForm(request.POST)
    if form.is_valid():
        source_id = form.cleaned_data.get("source")
        source = (
            selectors.contribution_of(consultation=consultation, pk=source_id)
            if source_id
            else None
        )
        try:
            services.statement_add(
                consultation=consultation,
                actor=request.user,
                text=form.cleaned_data["text"],
                source=source,
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            flash.success(request, _("Proposition ajoutée au vote."))
            return redirect(
                "participation:detail", slug=authority.slug, pk=consultation.pk
            )
    return _detail(request, consultation, statement_form=form)


@authority_view(roles=WRITE_ROLES)
@require_POST
def statement_toggle(request: HttpRequest, pk: int, statement: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    item = selectors.statement_of(consultation=consultation, pk=statement)
    services.statement_set_active(
        statement=item, actor=request.user, active=not item.active
    )
    return redirect("participation:detail", slug=authority.slug, pk=consultation.pk)


@authority_view(roles=WRITE_ROLES)
@require_POST
def analysis_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Enqueue the analysis (themes and opinion groups); the task worker runs it."""
    from parvis.participation.tasks import analyse_consultation

    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    recluster = request.POST.get("regrouper") == "1"
    transaction.on_commit(
        functools.partial(analyse_consultation.enqueue, consultation.pk, recluster)
    )
    flash.success(
        request,
        _(
            "Analyse demandée : elle est prête dans quelques instants, rechargez la page."
        ),
    )
    return redirect(
        reverse("participation:detail", args=[authority.slug, consultation.pk])
        + "#analyse"
    )


@authority_view(roles=WRITE_ROLES)
@require_POST
def theme_change(request: HttpRequest, pk: int, theme: int) -> HttpResponse:
    """Rename a theme, merge it into another one, or split it."""
    from parvis.participation.analysis import theme_merge, theme_rename, theme_split

    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    item = selectors.theme_of(consultation=consultation, pk=theme)
    try:
        if request.POST.get("diviser") == "1":
            created = theme_split(theme=item, actor=request.user)
            flash.success(
                request,
                _("Thème divisé : %(count)s nouveaux thèmes.")
                % {"count": len(created)},
            )
        elif request.POST.get("into"):
            into = selectors.theme_of(
                consultation=consultation, pk=int(request.POST["into"])
            )
            theme_merge(theme=item, into=into, actor=request.user)
            flash.success(request, _("Thèmes fusionnés."))
        else:
            theme_rename(
                theme=item, actor=request.user, label=request.POST.get("label", "")
            )
            flash.success(request, _("Thème renommé."))
    except (ValidationError, ValueError) as error:
        flash.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(
        reverse("participation:detail", args=[authority.slug, consultation.pk])
        + "#analyse"
    )


@authority_view()
def consultation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report for the elected and for publication: figures by origin and over
    time, themes with quotes, opinion groups and consensus, method."""
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    return render(
        request,
        "participation/report.html",
        selectors.report_context(consultation=consultation),
    )


@authority_view()
def consultation_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils.text import slugify

    from parvis.participation.pdf import PdfUnavailable, report_pdf
    from parvis.web.theme import theme_for

    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    context = {
        **selectors.report_context(consultation=consultation),
        "authority": authority,
        "theme": theme_for(authority),
    }
    try:
        data = report_pdf(context, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable:
        flash.error(
            request,
            _(
                "Le PDF ne peut pas être produit sur ce serveur (bibliothèque Pango "
                "absente) : imprimez ce rapport en PDF depuis le navigateur."
            ),
        )
        return redirect("participation:report", slug=authority.slug, pk=consultation.pk)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"rapport-{slugify(consultation.slug)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@authority_view()
def consultation_open_data(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The published contributions and the statements' votes, without personal data
    (no pseudonym, no e-mail; personal data in texts masked)."""
    import json

    from django.utils.text import slugify

    if fmt not in {"csv", "json"}:
        raise Http404("No such format")
    authority = request.authority  # type: ignore[attr-defined]
    consultation = selectors.consultation_of(authority=authority, pk=pk)
    rows = selectors.open_data_rows(consultation=consultation)
    name = f"consultation-{slugify(consultation.slug)}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    from parvis.planning.views_feeds import csv_response

    table = (
        rows["propositions"]
        if request.GET.get("table") == "propositions"
        else rows["contributions"]
    )
    header = list(table[0]) if table else ["id"]
    suffix = "-propositions" if request.GET.get("table") == "propositions" else ""
    # A streamed response, which authority_view's annotation (HttpResponse) omits.
    return csv_response(  # type: ignore[return-value]
        header,
        ([row[name] for name in header] for row in table),
        filename=f"{name}{suffix}.csv",
    )

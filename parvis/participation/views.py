"""The team's screens of participation: the consultations, one consultation's page
(figures, moderation queue, contributions, statements), the consultation form.
Every member reads; writers (editor, validator, administrator) create, moderate and
write statements. Citizens' words are escaped by the templates (no `|safe`)."""

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
        "statement_form": StatementForm(),
        "hide_form": HideForm(),
        "participants": consultation.participants.count(),
        "can_write": _can_write(request),
        "is_open": consultation.is_open(),
        "now": timezone.now(),
    }
    context.update(extra)
    return render(request, "participation/consultation_detail.html", context)


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

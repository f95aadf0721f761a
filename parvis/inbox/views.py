"""The inbox screens: the list with its filters, a message's page (labels corrected in
one click, assignment, status, notes, redirection proposal), the messages to sort
first, and the settings. Who sees and does what: inbox/selectors.py.

Citizens' words are untrusted: templates escape them (no `|safe`), and what is
shown is masked (inbox/personal_data.py) unless a member who handles the message
asks for the full text, which the audit log records. The forms of the handling panel
answer htmx with the panel redrawn; without JavaScript they redirect to the page."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import MANAGE_ROLES
from parvis.inbox import services
from parvis.inbox.display import Row, is_overdue, label_forms, origin_words, rows_of
from parvis.inbox.forms import (
    LABEL_OF_SLUG,
    AssignForm,
    FilterForm,
    InboxSettingsForm,
    LabelForm,
    NoteForm,
    Open311KeyForm,
    StatusForm,
)
from parvis.inbox.models import Alert, Message, Open311Key
from parvis.inbox.personal_data import mask
from parvis.inbox.selectors import (
    COUNT_CAP,
    HANDLE_ROLES,
    SEARCH_WINDOW,
    Viewer,
    access_message,
    assignable_members,
    inbox_page,
    message_detail,
    messages_to_sort_first,
    services_of,
    status_counts,
    sureness,
    viewer_of,
)


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_of(
        authority=request.authority,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        user=request.user,
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@authority_view()
def message_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    viewer = _viewer(request)
    form = FilterForm(request.GET or None, services=services_of(authority=authority))
    filters = form.filters()
    page = inbox_page(
        viewer=viewer, filters=filters, cursor=request.GET.get("apres", "")
    )
    next_query = ""
    if page.next_cursor:
        query = request.GET.copy()
        query["apres"] = page.next_cursor
        next_query = query.urlencode()
    first_query = request.GET.copy()
    first_query.pop("apres", None)
    return render(
        request,
        "inbox/message_list.html",
        {
            "form": form,
            "filters": filters,
            "rows": rows_of(page.messages),
            "page": page,
            "next_query": next_query,
            "first_query": first_query.urlencode(),
            "deep": bool(request.GET.get("apres")),
            "counts": status_counts(viewer=viewer),
            "count_cap": COUNT_CAP,
            "search_window": SEARCH_WINDOW,
            "viewer": viewer,
            "alerts": _recent_alerts(authority) if viewer.sees_all else [],
        },
    )


@dataclass(frozen=True)
class AlertLine:
    alert: Alert
    words: str


def _recent_alerts(authority: Any) -> list[AlertLine]:
    from parvis.inbox.services.alerts import alert_words

    since = timezone.now() - dt.timedelta(hours=48)
    return [
        AlertLine(alert, alert_words(alert))
        for alert in Alert.objects.filter(authority=authority, created_at__gte=since)[
            :5
        ]
    ]


def _detail_context(
    request: HttpRequest, viewer: Viewer, message: Message, **extra: Any
) -> dict[str, Any]:
    detail = message_detail(viewer=viewer, message=message)
    return {
        "detail": detail,
        "message": message,
        "viewer": viewer,
        "origin": origin_words(message),
        "remote_url": (
            message.remote_url
            if message.remote_url.startswith(("https://", "http://"))
            else ""
        ),
        "masked_text": mask(message.text),
        "masked_address": mask(message.address),
        "overdue": is_overdue(message, timezone.now()),
        "thread_rows": rows_of(detail.thread),
        "author_rows": rows_of(detail.author_messages),
        "note_form": NoteForm(),
        **_handling_context(viewer, message, members=detail.assignable),
        **extra,
    }


def _handling_context(
    viewer: Viewer, message: Message, *, members: list[Any] | None = None
) -> dict[str, Any]:
    if members is None:
        members = assignable_members(authority=viewer.authority)
    return {
        "message": message,
        "viewer": viewer,
        "overdue": is_overdue(message, timezone.now()),
        "label_forms": label_forms(message),
        "assign_form": AssignForm(
            members=members, initial={"assignee": message.assignee_id}
        ),
        "status_form": StatusForm(current=message.status),
    }


@authority_view()
def message_show(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    return render(
        request, "inbox/message_detail.html", _detail_context(request, viewer, message)
    )


@authority_view(roles=HANDLE_ROLES)
@require_POST
def message_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The text unmasked, recorded in the audit log. htmx: the text block alone."""
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    services.message_reveal(message=message, actor=request.user)
    if _is_htmx(request):
        return render(
            request,
            "inbox/_text.html",
            {"message": message, "viewer": viewer, "revealed": True},
        )
    return render(
        request,
        "inbox/message_detail.html",
        _detail_context(request, viewer, message, revealed=True),
    )


def _answer(
    request: HttpRequest, viewer: Viewer, message: Message, done: str, error: str = ""
) -> HttpResponse:
    """htmx: the handling panel redrawn and its announcement; else back to the page."""
    if _is_htmx(request):
        context = _handling_context(viewer, message)
        context.update({"done": done, "error": error})
        return render(request, "inbox/_handling.html", context)
    if error:
        flash.error(request, error)
    else:
        flash.success(request, done)
    url = reverse("inbox:detail", args=[viewer.authority.slug, message.pk])
    return redirect(f"{url}#traitement")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@authority_view(roles=HANDLE_ROLES)
@require_POST
def message_labels(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    """One label corrected (select + save); `label` is its French slug. With
    `suivant=a-trier`, back to the messages to sort first."""
    if label not in LABEL_OF_SLUG:
        raise Http404("No such label")
    label = LABEL_OF_SLUG[label]
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    form = LabelForm(request.POST, label=label, prefix=label)
    error = done = ""
    if not form.is_valid():
        error = _("Choisissez une valeur dans la liste.")
    else:
        service_before = message.service
        try:
            services.message_correct_labels(
                message=message, actor=request.user, **form.labels()
            )
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            field = form.fields["value"]
            chosen = dict(field.choices).get(form.cleaned_data["value"])  # type: ignore[attr-defined]
            done = _("%(label)s : %(value)s, enregistré.") % {
                "label": field.label,
                "value": chosen,
            }
            if message.service != service_before:
                done += " " + _("Message transmis au service « %(service)s ».") % {
                    "service": message.service or _("aucun service")
                }
                if not viewer.sees(message):
                    done += " " + _("Il ne figure plus parmi vos messages.")
    if request.POST.get("suivant") == "a-trier":
        if error:
            flash.error(request, error)
        else:
            flash.success(request, done)
        return redirect("inbox:sort_first", slug=viewer.authority.slug)
    return _answer(request, viewer, message, done, error)


@authority_view(roles=HANDLE_ROLES)
@require_POST
def message_assign(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    form = AssignForm(
        request.POST, members=assignable_members(authority=viewer.authority)
    )
    if not form.is_valid():
        error = _(
            "Seul un membre de la collectivité qui traite les messages peut le recevoir."
        )
        return _answer(request, viewer, message, "", error)
    assignee = form.chosen()
    try:
        services.message_assign(message=message, actor=request.user, assignee=assignee)
    except ValidationError as exc:
        return _answer(request, viewer, message, "", _error_text(exc))
    done = (
        _("Message attribué à %(name)s.") % {"name": assignee.display_name}
        if assignee
        else _("Message attribué à personne.")
    )
    return _answer(request, viewer, message, done)


@authority_view(roles=HANDLE_ROLES)
@require_POST
def message_status(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    form = StatusForm(request.POST, current=message.status)
    if not form.is_valid():
        return _answer(
            request, viewer, message, "", _("Ce statut n'est pas possible ici.")
        )
    try:
        services.message_set_status(
            message=message, actor=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        return _answer(request, viewer, message, "", _error_text(exc))
    done = _("Statut : %(status)s.") % {"status": message.get_status_display()}
    return _answer(request, viewer, message, done)


@authority_view(roles=HANDLE_ROLES)
@require_POST
def message_note(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(
                message=message, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            flash.success(request, _("Note ajoutée."))
            url = reverse("inbox:detail", args=[viewer.authority.slug, message.pk])
            return redirect(f"{url}#notes")
    return render(
        request,
        "inbox/message_detail.html",
        _detail_context(request, viewer, message, note_form=form),
        status=400,
    )


@dataclass(frozen=True)
class SortFirstRow:
    row: Row
    sureness: int  # per cent
    forms: list[LabelForm]


@authority_view(roles=HANDLE_ROLES)
def message_sort_first(request: HttpRequest) -> HttpResponse:
    """Active learning: the messages the model was least sure of, to check first."""
    viewer = _viewer(request)
    found = messages_to_sort_first(viewer=viewer)
    items = [
        SortFirstRow(
            row,
            round(sureness(row.message.confidences) * 100),
            label_forms(row.message, ("topic", "intent")),
        )
        for row in rows_of(found)
    ]
    return render(request, "inbox/sort_first.html", {"items": items})


def _settings_page(
    request: HttpRequest,
    form: InboxSettingsForm,
    key_form: Open311KeyForm | None = None,
    new_key: str = "",
) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    keys = Open311Key.objects.filter(authority=authority).select_related("created_by")
    return render(
        request,
        "inbox/settings.html",
        {
            "form": form,
            "key_form": key_form or Open311KeyForm(),
            "open311_keys": keys,
            "new_key": new_key,
        },
    )


def _settings_form(request: HttpRequest, data: Any = None) -> InboxSettingsForm:
    current = services.inbox_settings_of(authority=request.authority)  # type: ignore[attr-defined]
    return InboxSettingsForm(
        data,
        competences=current.competences or {},
        initial={
            "retention_months": current.retention_months,
            "alert_threshold": current.alert_threshold,
        },
    )


@authority_view(roles=MANAGE_ROLES)
def inbox_settings(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = _settings_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.inbox_settings_save(
            authority=authority,
            actor=request.user,
            retention_months=form.cleaned_data["retention_months"],
            alert_threshold=form.cleaned_data["alert_threshold"],
            competences=form.competences(),
        )
        flash.success(request, _("Réglages de la messagerie enregistrés."))
        return redirect("inbox:settings", slug=authority.slug)
    return _settings_page(request, form)


@authority_view(roles=MANAGE_ROLES)
@require_POST
def open311_key_add(request: HttpRequest) -> HttpResponse:
    """A new key, shown once on the page that answers (never stored in clear)."""
    authority = request.authority  # type: ignore[attr-defined]
    key_form = Open311KeyForm(request.POST)
    if not key_form.is_valid():
        return _settings_page(request, _settings_form(request), key_form)
    _row, key = services.open311_key_create(
        authority=authority, actor=request.user, label=key_form.cleaned_data["label"]
    )
    return _settings_page(request, _settings_form(request), new_key=key)


@authority_view(roles=MANAGE_ROLES)
@require_POST
def open311_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    key = Open311Key.objects.filter(authority=authority, pk=pk).first()
    if key is None:
        raise Http404
    if services.open311_key_revoke(key=key, actor=request.user):
        flash.success(
            request,
            _("La clé de « %(label)s » est révoquée.") % {"label": key.label},
        )
    return redirect("inbox:settings", slug=authority.slug)

"""Answering a message: the reply form (with saved replies and the network's count),
approval of sensitive replies, retrying a failed one, hiding a comment on its
network; and the saved replies' pages.

The message page (inbox/message_detail.html) includes inbox/_replies.html, which
lists the replies with their actions and loads the form from `reply_form` with htmx;
without JavaScript its "Répondre" link leads to `message_replies`, the same panel on
a page of its own. Every message is reached through the inbox's `access_message`:
a member outside its authority or scope gets 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.inbox.forms_replies import RejectForm, ReplyForm, SavedReplyForm
from parvis.inbox.models import Message, Reply
from parvis.inbox.selectors import HANDLE_ROLES, Viewer, access_message, viewer_of
from parvis.inbox.selectors_replies import (
    APPROVE_ROLES,
    MODERATE_ROLES,
    access_reply,
    access_saved_reply,
    reply_count,
    reply_panel,
    saved_replies_for,
)
from parvis.inbox.services.replies import (
    message_hide_on_network,
    reply_approve,
    reply_reject,
    reply_retry,
    reply_send,
)
from parvis.inbox.services.saved_replies import (
    saved_reply_delete,
    saved_reply_render,
    saved_reply_save,
)


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_of(
        authority=request.authority,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
    )


def _back(message: Message) -> HttpResponse:
    url = reverse("inbox:detail", args=[message.authority.slug, message.pk])
    return redirect(f"{url}#reponses")


def _replies_of(message: Message) -> list[Reply]:
    return list(
        Reply.objects.filter(message=message).select_related("author", "approved_by")
    )


def _panel_context(
    request: HttpRequest, viewer: Viewer, message: Message, form: Any = None
) -> dict[str, Any]:
    """The reply panel: `?reponse_type=<id>` fills the text with that saved reply."""
    saved = list(saved_replies_for(authority=viewer.authority, message=message))
    chosen = None
    if form is None:
        picked = request.GET.get("reponse_type", "")
        chosen = next((s for s in saved if str(s.pk) == picked), None)
        initial = {}
        if chosen is not None:
            text = saved_reply_render(text=chosen.text, message=message)
            initial = {"text": text, "saved_reply": chosen.pk}
        form = ReplyForm(initial=initial, saved_replies=saved)
    elif form.is_bound and form.is_valid():
        chosen = form.cleaned_data.get("saved_reply")
    typed = form["text"].value() or ""
    count, limit = reply_count(message=message, text=typed)
    return {
        "message": message,
        "viewer": viewer,
        "reply_form": form,
        "saved_replies": saved,
        "chosen": chosen,
        "panel": reply_panel(viewer=viewer, message=message, saved_reply=chosen),
        "count": count,
        "limit": limit,
    }


@authority_view(roles=HANDLE_ROLES)
def message_replies(request: HttpRequest, pk: int) -> HttpResponse:
    """The replies and the reply form of a message, on a page of their own."""
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    return render(
        request,
        "inbox/reply_page.html",
        {
            **_panel_context(request, viewer, message),
            "detail": {"replies": _replies_of(message)},
        },
    )


@authority_view(roles=HANDLE_ROLES)
def reply_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply panel alone, loaded by htmx into the message page."""
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    return render(
        request, "inbox/_reply_form.html", _panel_context(request, viewer, message)
    )


@authority_view(roles=HANDLE_ROLES)
@require_POST
def reply_characters(request: HttpRequest, pk: int) -> HttpResponse:
    """For htmx as the reply is typed: its length as the network counts it."""
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    count, limit = reply_count(
        message=message, text=request.POST.get("text", "")[:10_000]
    )
    return render(request, "inbox/_reply_count.html", {"count": count, "limit": limit})


@authority_view(roles=HANDLE_ROLES)
@require_POST
def reply_create(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    saved = saved_replies_for(authority=viewer.authority)
    form = ReplyForm(request.POST, saved_replies=saved)
    if form.is_valid():
        try:
            reply = reply_send(
                message=message,
                actor=request.user,
                text=form.cleaned_data["text"],
                saved_reply=form.cleaned_data["saved_reply"],
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if reply.state == Reply.State.AWAITING_APPROVAL:
                messages.success(request, _("Réponse soumise à la validation."))
            else:
                messages.success(request, _("Réponse en cours d'envoi."))
            return _back(message)
    context = {
        **_panel_context(request, viewer, message, form=form),
        "detail": {"replies": _replies_of(message)},
    }
    return render(request, "inbox/reply_page.html", context, status=400)


def _act_on_reply(
    request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any
) -> HttpResponse:
    viewer = _viewer(request)
    reply = access_reply(viewer=viewer, reply_id=pk)
    try:
        action(reply=reply, actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _back(reply.message)


@authority_view(roles=APPROVE_ROLES)
@require_POST
def reply_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on_reply(
        request, pk, reply_approve, _("Réponse validée : envoi en cours.")
    )


@authority_view(roles=APPROVE_ROLES)
@require_POST
def reply_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act_on_reply(
        request, pk, reply_reject, _("Réponse refusée."), reason=reason
    )


@authority_view(roles=HANDLE_ROLES)
@require_POST
def reply_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on_reply(request, pk, reply_retry, _("Nouvel envoi en cours."))


@authority_view(roles=MODERATE_ROLES)
@require_POST
def message_hide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    message = access_message(viewer=viewer, message_id=pk)
    try:
        message_hide_on_network(message=message, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Message masqué sur le réseau."))
    return _back(message)


# -- saved replies -------------------------------------------------------------------
@authority_view(roles=MODERATE_ROLES)
def saved_reply_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "inbox/saved_reply_list.html",
        {"saved_replies": saved_replies_for(authority=authority)},
    )


@authority_view(roles=MODERATE_ROLES)
def saved_reply_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    saved = access_saved_reply(authority=authority, saved_reply_id=pk) if pk else None
    form = SavedReplyForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        try:
            saved_reply_save(
                authority=authority,
                actor=request.user,
                fields=form.cleaned_data,
                saved_reply=saved,
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Réponse type enregistrée."))
            return redirect("replies:saved_list", slug=authority.slug)
    return render(
        request, "inbox/saved_reply_form.html", {"form": form, "saved_reply": saved}
    )


@authority_view(roles=MODERATE_ROLES)
@require_POST
def saved_reply_remove(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    saved = access_saved_reply(authority=authority, saved_reply_id=pk)
    saved_reply_delete(saved_reply=saved, actor=request.user)
    messages.success(request, _("Réponse type supprimée."))
    return redirect("replies:saved_list", slug=authority.slug)

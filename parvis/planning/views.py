"""The approval circuit: the buttons of the editor's workflow panel (POST only; a GET
goes back to the editor) and the authority's circuit settings (administrators)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import MANAGE_ROLES, WRITE_ROLES, Role
from parvis.planning import services
from parvis.planning.forms import ApprovalPolicyForm, ReviewCommentForm
from parvis.planning.rules import URGENT_ROLES
from parvis.planning.selectors import approval_policy_of
from parvis.studio.selectors import post_of

# Who reaches the workflow actions at all; the services check the role per step.
REVIEWERS = WRITE_ROLES | {Role.ELECTED}


def _editor_url(request: HttpRequest, pk: int) -> str:
    slug = request.authority.slug  # type: ignore[attr-defined]
    return reverse("studio:post", args=[slug, pk]) + "#circuit"


def _step(
    request: HttpRequest, pk: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    if request.method != "POST":
        return redirect(_editor_url(request, post.pk))
    form = ReviewCommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        action(post=post, actor=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_editor_url(request, post.pk))


@authority_view(roles=WRITE_ROLES)
def post_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.post_submit_for_review, _("Publication soumise.")
    )


@authority_view(roles=REVIEWERS)
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.post_approve, _("Validation enregistrée."))


@authority_view(roles=REVIEWERS)
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.post_reject, _("Publication renvoyée en brouillon.")
    )


@authority_view(roles=WRITE_ROLES)
def post_back_to_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.post_back_to_draft, _("Publication remise en brouillon.")
    )


@authority_view(roles=URGENT_ROLES)
def post_publish_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Every variant on the authority's usable channel of its network, now."""
    from parvis.channels.models import Channel

    authority = request.authority  # type: ignore[attr-defined]
    channels = [
        channel
        for channel in Channel.objects.filter(authority=authority).order_by("pk")
        if channel.can_publish
    ]

    def publish_now(*, post: Any, actor: Any, comment: str) -> None:
        services.post_approve_and_publish_now(
            post=post, actor=actor, channels=channels, comment=comment
        )

    return _step(
        request, pk, publish_now, _("Approuvée : publication en cours sur les canaux.")
    )


@authority_view(roles=MANAGE_ROLES)
def approval_policy_edit(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    policy = approval_policy_of(authority=authority)
    form = ApprovalPolicyForm(
        request.POST or None,
        initial={
            "levels": policy.levels,
            "first_level_roles": policy.first_level_roles,
            "second_level_roles": policy.second_level_roles,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_policy_update(
                authority=authority, actor=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Circuit de validation enregistré."))
            return redirect("planning:policy", slug=authority.slug)
    return render(request, "planning/policy.html", {"form": form})

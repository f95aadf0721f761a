"""Campaigns: every member reads the list and a campaign's page; the writers
(editor, validator, administrator) create, change and delete them, and choose the
campaign of a post from the studio's editor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.planning import services
from parvis.planning.forms_campaigns import CampaignForm, PostCampaignForm
from parvis.planning.models import Campaign, Objective
from parvis.planning.selectors_campaigns import (
    campaign_detail,
    campaign_of,
    campaign_period,
    campaigns_of,
)
from parvis.studio.models import PostState
from parvis.studio.selectors import post_of

FORM_FIELDS = [*CampaignForm.Meta.fields]


def _can_write(request: HttpRequest) -> bool:
    return request.membership.role in WRITE_ROLES  # type: ignore[attr-defined]


@authority_view()
def campaign_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    today = timezone.localdate()
    campaigns = list(campaigns_of(authority=authority))
    for campaign in campaigns:
        campaign.period = campaign_period(campaign, today)  # type: ignore[attr-defined]
    return render(
        request,
        "planning/campaign_list.html",
        {"campaigns": campaigns, "can_write": _can_write(request)},
    )


@authority_view()
def campaign_show(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    campaign = campaign_of(authority=authority, campaign_id=pk)
    return render(
        request,
        "planning/campaign_detail.html",
        {
            "detail": campaign_detail(campaign=campaign),
            "campaign": campaign,
            "audiences": campaign.audiences.all(),
            "channels": campaign.channels.all(),
            "can_write": _can_write(request),
        },
    )


@authority_view(roles=WRITE_ROLES)
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    campaign = campaign_of(authority=authority, campaign_id=pk) if pk else None
    initial: dict[str, str] = {}
    if campaign is None and request.GET.get("objectif") in Objective.values:
        initial["objective"] = request.GET["objectif"]
    form = CampaignForm(
        request.POST or None,
        authority=authority,
        instance=campaign or Campaign(authority=authority),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        try:
            saved = services.campaign_save(
                authority=authority,
                actor=request.user,
                values=values,
                campaign=campaign,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                (
                    _("Campagne « %(name)s » créée.")
                    if campaign is None
                    else _("Campagne « %(name)s » enregistrée.")
                )
                % {"name": saved.name},
            )
            return redirect("campaigns:detail", slug=authority.slug, pk=saved.pk)
    return render(
        request,
        "planning/campaign_form.html",
        {"form": form, "campaign": campaign},
    )


@authority_view(roles=WRITE_ROLES)
def campaign_objective_fields(request: HttpRequest) -> HttpResponse:
    """For htmx, on a change of objective: its indicators (defaults checked) and
    the "promotes achievements" box (checked for an image campaign)."""
    authority = request.authority  # type: ignore[attr-defined]
    objective = request.GET.get("objective", "")
    if objective not in Objective.values:
        objective = ""
    form = CampaignForm.for_objective(
        authority=authority,
        objective=objective,
        promotes=bool(request.GET.get("promotes_achievements")),
    )
    return render(
        request,
        "planning/campaign_objective_fields.html",
        {"form": form, "announce": True},
    )


@authority_view(roles=WRITE_ROLES)
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST deletes (the posts stay, without campaign)."""
    authority = request.authority  # type: ignore[attr-defined]
    campaign = campaign_of(authority=authority, campaign_id=pk)
    if request.method == "POST":
        kept = services.campaign_delete(campaign=campaign, actor=request.user)
        messages.success(
            request,
            _(
                "Campagne « %(name)s » supprimée ; ses %(count)s publications restent "
                "dans le studio."
            )
            % {"name": campaign.name, "count": kept},
        )
        return redirect("campaigns:list", slug=authority.slug)
    return render(
        request,
        "planning/campaign_confirm_delete.html",
        {"campaign": campaign, "post_count": campaign.posts.count()},
    )


@authority_view(roles=WRITE_ROLES)
@require_POST
def post_campaign_set(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign of a post, from the studio's editor."""
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    editor = reverse("studio:post", args=[authority.slug, post.pk]) + "#campagne"
    form = PostCampaignForm(request.POST, authority=authority)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form["campaign"].errors))
        return redirect(editor)
    campaign = form.cleaned_data["campaign"]
    try:
        services.post_set_campaign(post=post, campaign=campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if campaign is None:
            done = _("Publication retirée de sa campagne.")
        else:
            done = _("Publication ajoutée à la campagne « %(name)s ».") % {
                "name": campaign.name
            }
            if post.state != PostState.DRAFT:
                done += " " + _(
                    "Les liens des variantes prendront son identifiant à leur "
                    "prochaine régénération."
                )
        messages.success(request, done)
    return redirect(editor)

"""The studio: posts of an authority, a new post from an article or a text, and the
editor (source beside its variants; live counters, previews and checks)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.planning.forms_campaigns import PostCampaignForm
from parvis.planning.selectors import workflow_for
from parvis.planning.services import post_plan, post_set_campaign
from parvis.studio import services
from parvis.studio.display import CHECKS, COUNTING, variant_view
from parvis.studio.forms import PostCreateForm, VariantForm
from parvis.studio.models import Variant
from parvis.studio.rewrite import RewriteFailed, rewrite_enabled
from parvis.studio.selectors import (
    articles_to_adapt,
    partners_of,
    post_of,
    posts_of,
    variant_of,
    variants_by_network,
)

WRITERS = WRITE_ROLES


def _can_write(request: HttpRequest) -> bool:
    return request.membership.role in WRITERS  # type: ignore[attr-defined]


@authority_view()
def post_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    page = Paginator(posts_of(authority=authority), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "studio/post_list.html",
        {"page": page, "can_write": _can_write(request)},
    )


@authority_view(roles=WRITERS)
def post_new(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    articles = articles_to_adapt(authority=authority)
    form = PostCreateForm(
        request.POST or None,
        authority=authority,
        articles=articles,
        initial={
            "article": request.GET.get("article"),
            "campaign": request.GET.get("campagne"),
            "planned_on": request.GET.get("planned"),
            "planned_time": "09:00" if request.GET.get("planned") else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "authority": authority,
            "actor": request.user,
            "networks": data["networks"],
            "audience_ids": [audience.pk for audience in data["audiences"]],
            "campaign_slug": data["campaign_slug"],
        }
        try:
            with transaction.atomic():
                if data["origin"] == PostCreateForm.ARTICLE:
                    post = services.post_create_from_article(
                        article=data["article"], **common
                    )
                else:
                    post = services.post_create_blank(
                        title=data["title"],
                        lead=data["lead"],
                        text=data["text"],
                        url=data["url"],
                        **common,
                    )
                if data["campaign"] is not None:
                    post_set_campaign(
                        post=post, campaign=data["campaign"], actor=request.user
                    )
                if data["planned_at"] is not None:
                    post_plan(
                        post=post, actor=request.user, planned_at=data["planned_at"]
                    )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s variantes écrites : relisez-les, modifiez-les au besoin.")
                % {"count": post.variants.count()},
            )
            return redirect("studio:post", slug=authority.slug, pk=post.pk)
    return render(
        request,
        "studio/post_new.html",
        {"form": form, "has_articles": articles.exists()},
    )


@authority_view()
def post_editor(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    groups = []
    for group in variants_by_network(post=post):
        views = []
        for variant in group.variants:
            variant.post = post  # one query for the post, not one per variant
            # Variants made elsewhere (or before checks existed) get them computed.
            checks = variant.checks or services.variant_checks(
                variant=variant, parts=variant.parts, image_alt=variant.image_alt
            )
            views.append(variant_view(variant, checks=checks))
        groups.append(
            {"group": group, "views": views, "counting": COUNTING[group.network]}
        )
    return render(
        request,
        "studio/post_editor.html",
        {
            "post": post,
            "workflow": workflow_for(
                post=post,
                role=request.membership.role,  # type: ignore[attr-defined]
            ),
            "groups": groups,
            "can_write": _can_write(request),
            "campaign_form": PostCampaignForm.of_post(post),
            "rewrite_enabled": rewrite_enabled(),
            "check_names": CHECKS.items(),
            "done": request.GET.get("fait", ""),
            "done_variant": request.GET.get("variante", ""),
        },
    )


@authority_view()
def variant_count(request: HttpRequest, pk: int) -> HttpResponse:
    """For htmx as the text is typed: the counter of the edited part, the preview and
    the checks of the text as it stands (nothing is saved)."""
    authority = request.authority  # type: ignore[attr-defined]
    variant = variant_of(authority=authority, variant_id=pk)
    if request.method != "POST":
        return _back_to_editor(variant)
    form = VariantForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    parts = form.cleaned_data["parts"]
    image_alt = form.cleaned_data["image_alt"]
    checks = services.variant_checks(
        variant=variant,
        parts=[p for p in parts if p.strip()] or [""],
        image_alt=image_alt,
    )
    view = variant_view(variant, parts=parts, image_alt=image_alt, checks=checks)
    edited = form.edited_part
    part = (
        view.parts[edited] if edited is not None and edited < len(view.parts) else None
    )
    # Rendered without the request: no page shell (its queries) for each keystroke.
    html = render_to_string(
        "studio/_count.html",
        {"view": view, "part": part, "current_authority": authority},
    )
    return HttpResponse(html)


@authority_view(roles=WRITERS)
def variant_save(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    variant = variant_of(authority=authority, variant_id=pk)
    if request.method != "POST":
        return _back_to_editor(variant)
    form = VariantForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return _back_to_editor(variant)
    try:
        services.variant_update(
            variant=variant,
            parts=form.cleaned_data["parts"],
            image_alt=form.cleaned_data["image_alt"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_editor(variant)
    return _back_to_editor(variant, done="enregistree")


@authority_view(roles=WRITERS)
def variant_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    variant = variant_of(authority=authority, variant_id=pk)
    if request.method != "POST":
        return _back_to_editor(variant)
    services.variant_regenerate(variant=variant, actor=request.user)
    return _back_to_editor(variant, done="regeneree")


@authority_view(roles=WRITERS)
def variant_rewrite(request: HttpRequest, pk: int) -> HttpResponse:
    """The language model's proposal for the variant (the call takes a few seconds)."""
    if not rewrite_enabled():
        raise Http404("Rewriting is off")
    authority = request.authority  # type: ignore[attr-defined]
    variant = variant_of(authority=authority, variant_id=pk)
    if request.method != "POST":
        return _back_to_editor(variant)
    try:
        services.variant_rewrite(variant=variant, actor=request.user)
    except RewriteFailed as error:
        messages.error(request, str(error))
        return _back_to_editor(variant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_editor(variant)
    return _back_to_editor(variant, done="reecrite")


def _back_to_editor(variant: Variant, done: str = "") -> HttpResponse:
    """The editor, scrolled to the variant; `done` says what just happened to it."""
    url = reverse("studio:post", args=[variant.post.authority.slug, variant.post_id])
    if done:
        url += f"?fait={done}&variante={variant.pk}"
    return redirect(f"{url}#variante-{variant.pk}")


@authority_view()
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every member sees the partner accounts; writers add and change them through the
    shared OWNED views of the territory app."""
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "studio/partner_list.html",
        {
            "partners": partners_of(authority=authority),
            "can_write": _can_write(request),
        },
    )

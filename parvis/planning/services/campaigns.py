"""Writes of campaigns: create or change one (its audiences and channels belong to its
authority, its indicators fit its objective), delete one (its posts stay, without a
campaign), and put a post in a campaign or take it out.

A campaign's slug is the utm_campaign of the links of its posts: a post in a
campaign carries it in `Post.campaign_slug`, which the studio's engine adds to every
link it writes (and writes again when a variant is regenerated). The variants of a
draft are re-tagged at once; past the draft, the approved text is left as it is.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.accounts.roles import WRITE_ROLES
from parvis.planning.kpis import default_kpis, kpi_label, kpis_outside
from parvis.planning.models import Campaign, Objective
from parvis.planning.selectors import role_of
from parvis.planning.services.approval import NotAllowed
from parvis.studio.links import with_utm
from parvis.studio.models import Post, PostState, Variant
from parvis.system.services import audit_record

SLUG_MAX = 80
FIELDS = [
    "name",
    "slug",
    "objective",
    "description",
    "starts_on",
    "ends_on",
    "budget",
    "kpis",
    "promotes_achievements",
    "posts_per_week",
]


@transaction.atomic
def campaign_save(
    *,
    authority: Any,
    actor: Any,
    values: dict[str, Any],
    campaign: Campaign | None = None,
) -> Campaign:
    """Create a campaign (`campaign` None) or change it. `values` holds the fields
    of FIELDS, and `audiences` and `channels` (objects or ids of the authority's
    own). An empty slug is made from the name; no indicators means the objective's
    defaults. The posts of a campaign whose slug changes take the new slug for the
    links still to be written; the slug no longer changes once one of its posts is
    published. ValidationError (French) when a value does not fit."""
    _ensure_writer(actor, authority)
    values = dict(values)
    audiences = _owned(authority, "audiences", values.pop("audiences", None))
    channels = _owned(authority, "channels", values.pop("channels", None))
    creating = campaign is None
    if campaign is None:
        campaign = Campaign(authority=authority, created_by=_person(actor))
        before: dict[str, Any] = {}
    else:
        campaign = Campaign.objects.select_for_update().get(
            pk=campaign.pk, authority=authority
        )
        before = {field: getattr(campaign, field) for field in FIELDS}
    for field in FIELDS:
        if field in values:
            setattr(campaign, field, values[field])
    campaign.name = (campaign.name or "").strip()
    campaign.slug = _slug_for(campaign)
    campaign.kpis = _kpis_for(campaign)
    _check(campaign, before)
    campaign.save()
    changes: dict[str, Any] = {}
    for relation, items in (("audiences", audiences), ("channels", channels)):
        if items is None:
            continue
        manager = getattr(campaign, relation)
        old = sorted(str(item) for item in manager.all()) if not creating else []
        new = sorted(str(item) for item in items)
        manager.set(items)
        if old != new:
            changes[relation] = [old, new]
    if before.get("slug") and before["slug"] != campaign.slug:
        renamed = campaign.posts.filter(campaign_slug=before["slug"])
        drafts = list(renamed.filter(state=PostState.DRAFT))
        renamed.update(campaign_slug=campaign.slug, updated_at=timezone.now())
        for post in drafts:
            post.campaign_slug = campaign.slug
            _retag_links(post)
    changes |= {
        field: [_plain(before.get(field)), _plain(getattr(campaign, field))]
        for field in FIELDS
        if before.get(field) != getattr(campaign, field)
    }
    audit_record(
        actor=actor,
        authority=authority,
        action="planning.campaign_create" if creating else "planning.campaign_update",
        summary=(
            _("Campagne « %(name)s » créée.")
            if creating
            else _("Campagne « %(name)s » modifiée.")
        )
        % {"name": campaign.name},
        target=campaign,
        changes=changes,
    )
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign, actor: Any) -> int:
    """Delete a campaign; its posts stay, outside any campaign (their links keep the
    utm_campaign they were written with). Returns how many posts it had."""
    _ensure_writer(actor, campaign.authority)
    count = campaign.posts.count()
    audit_record(
        actor=actor,
        authority=campaign.authority,
        action="planning.campaign_delete",
        summary=_("Campagne « %(name)s » supprimée (%(count)s publications gardées).")
        % {"name": campaign.name, "count": count},
        target=campaign,
        changes={"name": [campaign.name, None], "posts": [count, 0]},
    )
    campaign.delete()
    return count


@transaction.atomic
def post_set_campaign(*, post: Post, campaign: Campaign | None, actor: Any) -> Post:
    """Put `post` in `campaign` (of the post's authority), or take it out (None).
    The post's links take the campaign's slug: at once in the variants of a draft,
    at the next regeneration otherwise. An approved or scheduled post goes into a
    campaign only if the pre-election rules still let it out at its slot, with the
    justification given at its approval."""
    from parvis.planning.services.schedule import _check_guard_at

    _ensure_writer(actor, post.authority)
    if campaign is not None and campaign.authority_id != post.authority_id:
        raise ValidationError(_("Cette campagne n'appartient pas à la collectivité."))
    # Locked, and read again on the caller's instance (which then shows the change).
    list(Post.objects.select_for_update().filter(pk=post.pk).values_list("pk"))
    post.refresh_from_db(fields=["campaign", "campaign_slug", "state", "planned_at"])
    before = post.campaign
    if (before.pk if before else None) == (campaign.pk if campaign else None):
        return post
    old_slug = post.campaign_slug
    post.campaign = campaign
    if campaign is not None:
        post.campaign_slug = campaign.slug
    elif before is not None and old_slug == before.slug:
        post.campaign_slug = ""
    if campaign is not None and post.state in {PostState.APPROVED, PostState.SCHEDULED}:
        try:
            _check_guard_at(post, post.planned_at or timezone.now())
        except ValidationError as error:
            raise ValidationError(
                _("Cette publication est déjà approuvée. %(reasons)s")
                % {"reasons": " ".join(error.messages)}
            ) from error
    post.save(update_fields=["campaign", "campaign_slug", "updated_at"])
    if post.state == PostState.DRAFT and post.campaign_slug != old_slug:
        _retag_links(post)
    audit_record(
        actor=actor,
        authority=post.authority,
        action="planning.post_set_campaign",
        summary=(
            _("« %(title)s » ajoutée à la campagne « %(name)s ».")
            % {"title": post.title, "name": campaign.name}
            if campaign is not None
            else _("« %(title)s » retirée de sa campagne.") % {"title": post.title}
        ),
        target=post,
        changes={
            "campaign": [
                before.name if before else None,
                campaign.name if campaign else None,
            ],
            "campaign_slug": [old_slug, post.campaign_slug],
        },
    )
    return post


# -- internals ---------------------------------------------------------------------------
def _ensure_writer(actor: Any, authority: Any) -> None:
    if role_of(user=actor, authority=authority) not in WRITE_ROLES:
        raise NotAllowed(_("Votre rôle ne permet pas de modifier les campagnes."))


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _owned(
    authority: Any, relation: str, items: Iterable[Any] | None
) -> list[Any] | None:
    """The authority's own audiences or channels among `items` (objects or ids);
    one of another authority is refused, never attached. None: left as they are."""
    if items is None:
        return None
    wanted = {int(getattr(item, "pk", item)) for item in items}
    found = list(getattr(authority, relation).filter(pk__in=wanted))
    if len(found) != len(wanted):
        message = {
            "audiences": _("Ce public n'appartient pas à la collectivité."),
            "channels": _("Ce canal n'appartient pas à la collectivité."),
        }[relation]
        raise ValidationError({relation: message})
    return found


def _slug_for(campaign: Campaign) -> str:
    """The slug asked for, or one made from the name, unique in the authority."""
    wanted = slugify(campaign.slug or "")[:SLUG_MAX]
    if wanted:
        return wanted
    # "Quartiers d'été" -> quartiers-d-ete, not quartiers-dete.
    name = re.sub(r"['’]", " ", campaign.name)
    base = slugify(name)[:SLUG_MAX].strip("-") or "campagne"
    taken = set(
        Campaign.objects.filter(
            authority_id=campaign.authority_id, slug__startswith=base
        )
        .exclude(pk=campaign.pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
    return slug


def _kpis_for(campaign: Campaign) -> list[str]:
    slugs = list(dict.fromkeys(campaign.kpis or []))
    return slugs or default_kpis(campaign.objective)


def _check(campaign: Campaign, before: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not campaign.name:
        errors["name"] = _("Donnez un nom à la campagne.")
    if campaign.objective not in Objective.values:
        errors["objective"] = _("Choisissez l'objectif de la campagne.")
    else:
        outside = kpis_outside(campaign.objective, campaign.kpis)
        if outside:
            errors["kpis"] = _(
                "Ces indicateurs ne se mesurent pas pour l'objectif « %(objective)s » "
                ": %(names)s."
            ) % {
                "objective": Objective(campaign.objective).label,
                "names": ", ".join(kpi_label(slug) for slug in outside),
            }
    if (
        campaign.starts_on
        and campaign.ends_on
        and campaign.ends_on < campaign.starts_on
    ):
        errors["ends_on"] = _("La fin de la campagne ne peut précéder son début.")
    if campaign.budget is not None and Decimal(campaign.budget) < 0:
        errors["budget"] = _("Le budget ne peut pas être négatif.")
    duplicate = (
        Campaign.objects.filter(authority_id=campaign.authority_id, slug=campaign.slug)
        .exclude(pk=campaign.pk)
        .first()
    )
    if duplicate is not None:
        errors["slug"] = _("Cet identifiant sert déjà à la campagne « %(name)s ».") % {
            "name": duplicate.name
        }
    old_slug = before.get("slug")
    if (
        old_slug
        and old_slug != campaign.slug
        and campaign.posts.filter(state=PostState.PUBLISHED).exists()
    ):
        errors["slug"] = _(
            "Des publications de la campagne sont en ligne avec l'identifiant "
            "« %(slug)s » : il ne change plus, pour que les statistiques du site "
            "les retrouvent."
        ) % {"slug": old_slug}
    if errors:
        raise ValidationError(errors)
    try:
        campaign.full_clean(exclude=["authority", "created_by"], validate_unique=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _retag_links(post: Post) -> None:
    """The links of the post's variants with its utm_campaign (the text around them
    is unchanged; checks recomputed)."""
    from parvis.studio.services import variant_checks

    for variant in Variant.objects.filter(post=post).select_related("post"):
        if not variant.link:
            continue
        old = variant.link
        new = with_utm(old, network=variant.network, campaign=post.campaign_slug)
        if new == old:
            continue
        variant.link = new
        variant.parts = [part.replace(old, new) for part in variant.parts]
        variant.generated_parts = [
            part.replace(old, new) for part in variant.generated_parts
        ]
        variant.post = post
        variant.checks = variant_checks(
            variant=variant, parts=variant.parts, image_alt=variant.image_alt
        )
        variant.save(
            update_fields=["link", "parts", "generated_parts", "checks", "updated_at"]
        )


def _plain(value: Any) -> Any:
    """A value as the audit log stores it (JSON)."""
    if value is None or isinstance(value, bool | int | str | list):
        return value
    return str(value)

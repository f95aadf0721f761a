"""Writes of the studio: a post and its variants (one per network and audience), edits,
regenerations and rewritings by a language model, and the partner accounts the variants
mention. Every write is audited, in one transaction with the change."""

from collections.abc import Iterable
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parvis.studio.audiences import AudienceProfile, default_profiles
from parvis.studio.checks import check_against_source
from parvis.studio.engine import SourceText, adapt
from parvis.studio.models import PartnerAccount, Post, Variant
from parvis.studio.networks import NETWORKS
from parvis.studio.rewrite import rewrite_variant
from parvis.studio.selectors import partner_handles
from parvis.system.services import audit_record
from parvis.territory.models import Audience
from parvis.territory.services import _delete_owned, _save_owned

DEFAULT_AUDIENCE = "habitants"


def post_create_from_article(
    *,
    authority: Any,
    article: Any,
    actor: Any,
    networks: Iterable[str],
    audience_ids: Iterable[int],
    campaign_slug: str = "",
) -> Post:
    """A post written from an article of the authority's website, with one variant per
    network and audience. The article's text is kept on the post (a snapshot)."""
    if article.authority_id != authority.pk:
        raise ValidationError(_("Cet article n'appartient pas à la collectivité."))
    return _post_create(
        authority=authority,
        actor=actor,
        networks=networks,
        audience_ids=audience_ids,
        campaign_slug=campaign_slug,
        values={
            "article": article,
            "title": article.title[:200],
            "source_title": article.title,
            "source_lead": article.lead,
            "source_text": article.text,
            "source_url": article.canonical_url or article.url,
            "source_image_url": article.image_url,
            "source_image_alt": article.image_alt or article.image_caption,
        },
    )


def post_create_blank(
    *,
    authority: Any,
    actor: Any,
    title: str,
    text: str,
    networks: Iterable[str],
    audience_ids: Iterable[int],
    lead: str = "",
    url: str = "",
    campaign_slug: str = "",
) -> Post:
    """A post written from a text typed in the studio (no article)."""
    if not title.strip() or not text.strip():
        raise ValidationError(_("Un titre et un texte sont nécessaires."))
    return _post_create(
        authority=authority,
        actor=actor,
        networks=networks,
        audience_ids=audience_ids,
        campaign_slug=campaign_slug,
        values={
            "title": title.strip()[:200],
            "source_title": title.strip(),
            "source_lead": lead.strip(),
            "source_text": text.strip(),
            "source_url": url.strip(),
        },
    )


@transaction.atomic
def _post_create(
    *,
    authority: Any,
    actor: Any,
    networks: Iterable[str],
    audience_ids: Iterable[int],
    campaign_slug: str,
    values: dict[str, Any],
) -> Post:
    networks = list(dict.fromkeys(networks))
    if not networks:
        raise ValidationError(_("Choisissez au moins un réseau."))
    unknown = sorted(set(networks) - set(NETWORKS))
    if unknown:
        raise ValidationError(_("Réseau inconnu : %s.") % ", ".join(unknown))
    audiences = _audiences_of(authority, audience_ids)
    post = Post.objects.create(
        authority=authority,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        campaign_slug=campaign_slug,
        **values,
    )
    source = source_of(post)
    partners = partner_handles(authority=authority)
    variants = []
    for network in networks:
        for audience in audiences:
            variant = Variant(post=post, network=network, audience=audience)
            _fill(variant, source, post, partners.get(network, {}))
            variants.append(variant)
    Variant.objects.bulk_create(variants)
    audit_record(
        actor=actor,
        action="studio.post_create",
        summary=_("Publication « %(title)s » créée : %(count)s variantes.")
        % {"title": post.title, "count": len(variants)},
        authority=authority,
        target=post,
        changes={
            "networks": [None, networks],
            "audiences": [None, [audience.slug for audience in audiences]],
        },
    )
    return post


@transaction.atomic
def variant_update(
    *, variant: Variant, parts: list[str], image_alt: str, actor: Any
) -> Variant:
    """The team's text for a variant: empty parts are dropped, checks recomputed. A
    language model's proposal saved this way counts as reviewed."""
    _ensure_not_in_flight(variant)
    parts = [part.strip() for part in parts if part.strip()]
    if not parts:
        raise ValidationError(_("Le message est vide : écrivez au moins une partie."))
    changes: dict[str, Any] = {}
    if parts != variant.parts:
        changes["parts"] = [variant.parts, parts]
    if image_alt.strip() != variant.image_alt:
        changes["image_alt"] = [variant.image_alt, image_alt.strip()]
    if variant.rewritten_by_model:
        # Saved by a person: the model's proposal is now the team's text.
        changes["rewritten_by_model"] = [True, False]
    variant.parts = parts
    variant.image_alt = image_alt.strip()
    variant.rewritten_by_model = False
    variant.checks = variant_checks(variant=variant, parts=parts, image_alt=image_alt)
    variant.save(
        update_fields=[
            "parts",
            "image_alt",
            "rewritten_by_model",
            "checks",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="studio.variant_update",
        summary=_("Variante %(variant)s modifiée.") % {"variant": variant},
        authority=variant.post.authority,
        target=variant,
        changes=changes,
    )
    if changes:
        _after_text_change(variant, actor)
    return variant


@transaction.atomic
def variant_regenerate(*, variant: Variant, actor: Any) -> Variant:
    """The engine writes the variant again from the post's source, with today's partner
    accounts; the team's edits to the text are replaced (the audit log keeps them)."""
    _ensure_not_in_flight(variant)
    post = variant.post
    before = list(variant.parts)
    partners = partner_handles(authority=post.authority).get(variant.network, {})
    _fill(variant, source_of(post), post, partners)
    variant.rewritten_by_model = False
    variant.save(
        update_fields=[
            "parts",
            "generated_parts",
            "link",
            "image_alt",
            "rewritten_by_model",
            "checks",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="studio.variant_regenerate",
        summary=_("Variante %(variant)s régénérée.") % {"variant": variant},
        authority=post.authority,
        target=variant,
        changes={"parts": [before, variant.parts]} if before != variant.parts else {},
    )
    if before != variant.parts:
        _after_text_change(variant, actor)
    return variant


def variant_rewrite(
    *, variant: Variant, actor: Any, http: httpx.Client | None = None
) -> Variant:
    """A language model rewrites the variant from its text and the post's source. Its
    parts replace the variant's, checked like any text, and are marked as a proposal
    to review: the variant cannot be scheduled until someone saves it. Raises
    RewriteFailed (nothing changed) when the model gives no usable text."""
    if _is_scheduled(variant):
        raise ValidationError(
            _(
                "Cette variante est programmée : annulez sa programmation avant de la "
                "faire réécrire par l'IA."
            )
        )
    post = variant.post
    # The call happens outside any transaction: it may take LLM_TIMEOUT_SECONDS.
    parts = rewrite_variant(
        parts=variant.parts,
        network=variant.network,
        audience=profile_of(variant),
        source_title=post.source_title,
        source_text="\n\n".join(
            part for part in (post.source_lead, post.source_text) if part
        ),
        http=http,
    )
    with transaction.atomic():
        before = list(variant.parts)
        variant.parts = parts
        variant.rewritten_by_model = True
        variant.checks = variant_checks(
            variant=variant, parts=parts, image_alt=variant.image_alt
        )
        variant.save(
            update_fields=["parts", "rewritten_by_model", "checks", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="studio.variant_rewrite",
            summary=_("Variante %(variant)s réécrite par l'IA (%(model)s), à relire.")
            % {"variant": variant, "model": settings.LLM_MODEL or "?"},
            authority=post.authority,
            target=variant,
            changes={"parts": [before, parts], "rewritten_by_model": [False, True]},
        )
        _after_text_change(variant, actor)
    return variant


def _after_text_change(variant: Variant, actor: Any) -> None:
    """A changed text is not the text that was approved: the post goes back to
    review (planning decides whether it was approved at all)."""
    from parvis.planning.services import post_reopen_after_edit

    post_reopen_after_edit(post=variant.post, actor=actor)


def _ensure_not_in_flight(variant: Variant) -> None:
    """While a publication of the variant is being sent or checked on the network, its
    text must stay what was sent (reconciliation compares with it)."""
    from parvis.publishing.models import PublicationState

    in_flight = [
        PublicationState.QUEUED,
        PublicationState.PUBLISHING,
        PublicationState.UNKNOWN,
    ]
    if variant.publications.filter(state__in=in_flight).exists():
        raise ValidationError(
            _(
                "Cette variante est en cours de publication : attendez le résultat "
                "avant de la modifier."
            )
        )


def _is_scheduled(variant: Variant) -> bool:
    """A publication of the variant is waiting or under way: it would publish the
    model's text unreviewed."""
    from parvis.publishing.models import Publication, PublicationState

    waiting = [
        PublicationState.PENDING,
        PublicationState.QUEUED,
        PublicationState.PUBLISHING,
        PublicationState.UNKNOWN,
    ]
    return Publication.objects.filter(variant=variant, state__in=waiting).exists()


@transaction.atomic
def partner_save(
    *,
    authority: Any,
    actor: Any,
    values: dict[str, Any],
    partner: PartnerAccount | None = None,
) -> PartnerAccount:
    """Create or change a partner's account; the handle is checked for its network
    (ValidationError otherwise)."""
    return _save_owned(
        model=PartnerAccount,
        authority=authority,
        actor=actor,
        instance=partner,
        values=values,
        label="Compte partenaire",
    )


@transaction.atomic
def partner_delete(*, partner: PartnerAccount, actor: Any) -> None:
    """Variants already written keep their mention; new ones no longer get it."""
    _delete_owned(instance=partner, actor=actor, label="Compte partenaire")


# -- shared with the views (reads without writes) ----------------------------------------
def source_of(post: Post) -> SourceText:
    return SourceText(
        title=post.source_title,
        lead=post.source_lead,
        text=post.source_text,
        url=post.source_url,
        image_url=post.source_image_url,
        image_alt=post.source_image_alt,
        authority_name=post.authority.name,
    )


def profile_of(variant: Variant) -> AudienceProfile:
    if variant.audience is not None:
        return AudienceProfile.from_audience(variant.audience)
    return default_profiles()[DEFAULT_AUDIENCE]


def variant_checks(
    *, variant: Variant, parts: list[str], image_alt: str
) -> dict[str, dict[str, Any]]:
    """The checks of `parts` as they would be for this variant (nothing saved)."""
    post = variant.post
    results = check_against_source(
        parts,
        source=source_of(post),
        network=variant.network,
        audience=profile_of(variant),
        image_alt=image_alt,
        has_image=bool(variant.image or post.source_image_url),
    )
    return {name: result.as_dict() for name, result in results.items()}


def _fill(
    variant: Variant, source: SourceText, post: Post, partners: dict[str, str]
) -> None:
    """The engine's text for the variant; `partners` maps a partner's name to its
    account on the variant's network."""
    generated = adapt(
        source,
        network=variant.network,
        audience=profile_of(variant),
        campaign_slug=post.campaign_slug,
        partners=partners,
    )
    variant.parts = list(generated.parts)
    variant.generated_parts = list(generated.parts)
    variant.link = generated.links[0] if generated.links else ""
    variant.image_alt = variant.image_alt or generated.image_alt
    variant.checks = variant_checks(
        variant=variant, parts=variant.parts, image_alt=variant.image_alt
    )


def _audiences_of(authority: Any, audience_ids: Iterable[int]) -> list[Audience]:
    wanted = {int(pk) for pk in audience_ids}
    if not wanted:
        raise ValidationError(_("Choisissez au moins un public."))
    audiences = list(Audience.objects.filter(authority=authority, pk__in=wanted))
    if len(audiences) != len(wanted):
        raise ValidationError(_("Public inconnu pour cette collectivité."))
    return audiences

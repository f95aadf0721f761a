"""Reads of the studio. Posts and variants are reached through the authority of the
URL (resolved by `authority_view`): an id of another authority is a 404."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from parvis.studio.models import PartnerAccount, Post, Variant
from parvis.studio.networks import NETWORKS, NetworkStyle, style_for


def posts_of(*, authority: Any) -> QuerySet[Post]:
    return (
        Post.objects.filter(authority=authority)
        .select_related("created_by")
        .annotate(variant_count=Count("variants"))
        .order_by("-created_at")
    )


def post_of(*, authority: Any, post_id: Any) -> Post:
    try:
        return Post.objects.select_related("authority", "article").get(
            pk=int(post_id), authority=authority
        )
    except (Post.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such post") from exc


def variant_of(*, authority: Any, variant_id: Any) -> Variant:
    try:
        return Variant.objects.select_related(
            "post", "post__authority", "audience"
        ).get(pk=int(variant_id), post__authority=authority)
    except (Variant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such variant") from exc


def articles_to_adapt(*, authority: Any, limit: int = 200) -> QuerySet[Any]:
    """The current version of the authority's latest articles (a queryset that can
    still be filtered, as a form field needs)."""
    from parvis.sources.models import Article

    current = Article.objects.filter(authority=authority, is_current=True).order_by(
        "-published_at", "-fetched_at"
    )
    latest = list(current.values_list("pk", flat=True)[:limit])
    return current.filter(pk__in=latest)


@dataclass(frozen=True)
class NetworkGroup:
    network: str
    style: NetworkStyle
    variants: list[Variant]


def variants_by_network(*, post: Post) -> list[NetworkGroup]:
    """The variants of a post grouped by network (in the studio's order of networks),
    then by audience (in the order the authority created them)."""
    variants = list(post.variants.select_related("audience"))
    groups = []
    for network in NETWORKS:
        mine = [variant for variant in variants if variant.network == network]
        if mine:
            mine.sort(key=lambda v: (v.audience_id is not None, v.audience_id or 0))
            groups.append(NetworkGroup(network, style_for(network), mine))
    return groups


def partners_of(*, authority: Any) -> QuerySet[PartnerAccount]:
    return PartnerAccount.objects.filter(authority=authority)


def partner_handles(*, authority: Any) -> dict[str, dict[str, str]]:
    """{network: {partner name: handle}} for the engine. Longer names come first, so
    that "Office de tourisme de Saint-Malo" is mentioned rather than a shorter partner
    whose name it contains."""
    handles: dict[str, dict[str, str]] = {}
    partners = sorted(
        partners_of(authority=authority), key=lambda partner: -len(partner.name)
    )
    for partner in partners:
        handles.setdefault(partner.network, {})[partner.name] = partner.handle
    return handles

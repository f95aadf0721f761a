"""Every URL under /c/<slug>/ answers 404 to someone outside the authority, and an
object id of another authority answers 404 even under one's own authority."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parvis.accounts.models import Invitation, Membership
from parvis.accounts.roles import Role
from parvis.accounts.services import invitation_create

pytestmark = pytest.mark.django_db


def tenant_routes():
    """(namespaced name, extra argument) for every route whose path has <slug:slug>;
    the extra argument is "pk", "network", "state" or ""."""
    routes = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and "<slug:slug>" in str(entry.pattern):
                pattern = str(entry.pattern)
                extra = next(
                    (
                        name
                        for name in ("pk", "network", "state")
                        if f":{name}>" in pattern
                    ),
                    "",
                )
                routes.append((f"{namespace}:{entry.name}", extra))

    walk(get_resolver().url_patterns, None)
    return sorted(set(routes))


def channel_of(authority, admin):
    from parvis.channels.models import Channel
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    existing = Channel.objects.filter(authority=authority).first()
    return existing or channel_connect(
        authority=authority,
        network="mastodon",
        credentials=Credentials(access_token="t"),
        account=AccountInfo(account_id=f"id-{authority.pk}", handle="@v@x.example"),
        actor=admin,
    )


def publication_of(authority, admin):
    from django.utils import timezone

    from parvis.publishing.services import publication_schedule
    from parvis.studio.models import Post, Variant

    post = Post.objects.create(authority=authority, title="T", state="approved")
    variant = Variant.objects.create(post=post, network="mastodon", parts=["Texte"])
    return publication_schedule(
        variant=variant,
        channel=channel_of(authority, admin),
        scheduled_at=timezone.now(),
        actor=admin,
    )


def studio_post_of(authority):
    from parvis.studio.models import Post, Variant

    post = Post.objects.create(
        authority=authority, title="T", source_title="T", source_text="Texte."
    )
    Variant.objects.create(post=post, network="mastodon", parts=["Texte"])
    return post


def source_of(authority):
    from parvis.sources.models import Source

    source, _ = Source.objects.get_or_create(
        authority=authority,
        url=f"https://www.{authority.slug}.example/feed/",
        defaults={"kind": "feed"},
    )
    return source


def article_of(authority):
    from parvis.sources.models import Article

    article, _ = Article.objects.get_or_create(
        authority=authority,
        canonical_url=f"https://www.{authority.slug}.example/actualites/1/",
        content_hash="0" * 64,
        defaults={
            "source": source_of(authority),
            "url": f"https://www.{authority.slug}.example/actualites/1/",
            "title": "Article",
        },
    )
    return article


def partner_of(authority):
    from parvis.studio.models import PartnerAccount

    partner, _ = PartnerAccount.objects.get_or_create(
        authority=authority,
        network="x",
        name="Office de tourisme",
        defaults={"handle": "@OfficeTourisme"},
    )
    return partner


def object_for(name, authority, admin):
    if name.startswith("studio:partner"):
        return partner_of(authority)
    if name.startswith("sources:"):
        return article_of(authority) if "article" in name else source_of(authority)
    if name.startswith("studio:variant"):
        return studio_post_of(authority).variants.get()
    if name.startswith(("studio:", "planning:")):
        return studio_post_of(authority)
    if name.startswith("publishing:"):
        return publication_of(authority, admin)
    if name.startswith("channels:"):
        return channel_of(authority, admin)
    if "audience" in name:
        return authority.audiences.first()
    if "service" in name:
        return authority.services.first()
    if "election" in name:
        return authority.elections.first()
    if "member" in name:
        return Membership.objects.filter(authority=authority).first()
    if "invitation" in name:
        invitation, _ = invitation_create(
            authority=authority,
            email=f"t{Invitation.objects.count()}@x.example",
            role=Role.AGENT,
            invited_by=admin,
        )
        return invitation
    raise AssertionError(f"no object kind known for route {name}")


def test_the_sweep_finds_the_tenant_routes():
    names = {name for name, _ in tenant_routes()}
    assert {"web:dashboard", "accounts:members", "territory:audience_edit"} <= names
    assert len(names) >= 15


def test_an_outsider_gets_404_on_every_route_of_another_authority(
    client_of, outsider, commune, admin_user
):
    client = client_of(outsider)
    for name, extra in tenant_routes():
        args = [commune.slug]
        if extra == "pk":
            args.append(object_for(name, commune, admin_user).pk)
        elif extra == "network":
            args.append("mastodon")
        elif extra == "state":
            args.append("un-etat")
        url = reverse(name, args=args)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_an_object_of_another_authority_is_404_under_ones_own(
    client_of, admin_user, commune, other_authority, outsider
):
    client = client_of(admin_user)
    other_admin = Membership.objects.get(authority=other_authority, user=outsider).user
    for name, extra in tenant_routes():
        if extra != "pk":
            continue
        foreign = object_for(name, other_authority, other_admin)
        url = reverse(name, args=[commune.slug, foreign.pk])
        # POST-only actions answer a member's GET with 405, whatever the id.
        post_only = (
            any(
                verb in name
                for verb in (
                    "delete",
                    "remove",
                    "revoke",
                    "cancel",
                    "retry",
                    "unpublish",
                )
            )
            or name == "channels:disconnect"
        )
        assert client.get(url).status_code == (405 if post_only else 404), url
        assert client.post(url, {}).status_code == 404, url
    # Nothing deleted through the wrong door.
    assert other_authority.audiences.count() == 7
    assert other_authority.partner_accounts.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, commune):
    response = client.get(reverse("web:dashboard", args=[commune.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))

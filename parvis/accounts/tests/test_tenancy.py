"""Every URL under /c/<slug>/ answers 404 to someone outside the authority, and an
object id of another authority answers 404 even under one's own authority."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parvis.accounts.models import Invitation, Membership
from parvis.accounts.roles import Role
from parvis.accounts.services import invitation_create

pytestmark = pytest.mark.django_db


# Pages for the public (no account): the archive of what was published and the
# citizens' contact form. They have their own tests.
PUBLIC_NAMESPACES = frozenset({"archive", "public_inbox", "participation_public"})


def tenant_routes():
    """(namespaced name, extra argument) for every route whose path has <slug:slug>,
    public pages aside; the extra argument is "pk" when the route names an object
    (other arguments get a fixed value, see `route_kwargs`)."""
    routes = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif (
                isinstance(entry, URLPattern)
                and "<slug:slug>" in str(entry.pattern)
                and namespace not in PUBLIC_NAMESPACES
            ):
                extra = "pk" if ":pk>" in str(entry.pattern) else ""
                routes.append((f"{namespace}:{entry.name}", extra))

    walk(get_resolver().url_patterns, None)
    return sorted(set(routes))


# Values for the other arguments of tenant routes.
FIXED_ARGUMENTS = {
    "network": "mastodon",
    "state": "un-etat",
    "label": "domaine",
    "contribution": 1,
    "statement": 1,
    "theme": 1,
    "fmt": "csv",
}


def route_url(name, slug, pk=None):
    resolver = get_resolver()
    namespace, short = name.split(":")
    pattern = str(
        next(
            entry.pattern
            for entry in resolver.namespace_dict[namespace][1].url_patterns
            if getattr(entry, "name", None) == short
        )
    )
    kwargs = {"slug": slug}
    if pk is not None:
        kwargs["pk"] = pk
    for argument, value in FIXED_ARGUMENTS.items():
        if f":{argument}>" in pattern:
            kwargs[argument] = value
    return reverse(name, kwargs=kwargs)


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


def campaign_of(authority):
    import datetime as dt

    from parvis.planning.models import Campaign

    campaign, _ = Campaign.objects.get_or_create(
        authority=authority,
        slug="ete",
        defaults={
            "name": "Été",
            "objective": "lien_social",
            "starts_on": dt.date(2027, 6, 1),
            "ends_on": dt.date(2027, 8, 31),
        },
    )
    return campaign


def feed_of(authority):
    import hashlib
    import uuid

    from parvis.planning.models import CalendarFeed

    return CalendarFeed.objects.create(
        authority=authority,
        label="Élus",
        token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
    )


def message_of(authority):
    from django.utils import timezone

    from parvis.inbox.models import Message

    return Message.objects.create(
        authority=authority,
        origin="form",
        kind="contact",
        text="Bonjour, quels sont les horaires de la mairie ?",
        received_at=timezone.now(),
    )


def reply_of(authority):
    from parvis.inbox.models import Reply

    return Reply.objects.create(
        message=message_of(authority), text="Bonjour", via="email", state="awaiting"
    )


def saved_reply_of(authority):
    from parvis.inbox.models import SavedReply

    return SavedReply.objects.create(authority=authority, title="Horaires", text="8h")


def open311_key_of(authority):
    from parvis.inbox.services import open311_key_create

    return open311_key_create(authority=authority, actor=None, label="Appli")[0]


def consultation_of(authority):
    import datetime as dt

    from django.utils import timezone

    from parvis.participation.models import Consultation

    now = timezone.now()
    return Consultation.objects.create(
        authority=authority,
        title="Vélo",
        slug=f"velo-{Consultation.objects.count()}",
        question="Comment ?",
        starts_at=now,
        ends_at=now + dt.timedelta(days=3),
    )


def boost_of(authority):
    import datetime as dt

    from parvis.insights.models import Boost

    return Boost.objects.create(
        authority=authority,
        network="facebook",
        budget=50,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 7),
        origin=Boost.Origin.MANUAL,
    )


def object_for(name, authority, admin):
    if name.startswith("boosts:"):
        return boost_of(authority)
    if name.startswith("participation:"):
        return consultation_of(authority)
    if name in {"replies:approve", "replies:reject", "replies:retry"}:
        return reply_of(authority)
    if name.startswith("replies:saved"):
        return saved_reply_of(authority)
    if name.startswith("inbox:open311"):
        return open311_key_of(authority)
    if name in {"campaigns:detail", "campaigns:edit", "campaigns:delete"}:
        return campaign_of(authority)
    if name.startswith("feeds:"):
        return feed_of(authority)
    if name.startswith(("inbox:", "replies:")):
        return message_of(authority)
    if name.startswith(("calendar:", "campaigns:")):
        return studio_post_of(authority)
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
        pk = object_for(name, commune, admin_user).pk if extra == "pk" else None
        url = route_url(name, commune.slug, pk)
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
        url = route_url(name, commune.slug, foreign.pk)
        # A member's GET of a POST-only action may answer 405, whatever the id:
        # nothing of the object shows either way.
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url, {}).status_code == 404, url

import datetime as dt
from pathlib import Path

import httpx
import pytest

from parvis.connectors.base import Credentials, Draft, MediaItem, RateLimitState
from parvis.connectors.errors import (
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)
from parvis.connectors.facebook.connector import GRAPH_URL
from parvis.connectors.instagram import parse
from parvis.connectors.instagram.connector import InstagramConnector
from parvis.connectors.instagram.oauth import InstagramOAuth
from parvis.connectors.oauth import OAuthClient
from parvis.connectors.testing import (
    CONTRACT_SCENARIOS,
    Router,
    contract_error,
    fixture_handler,
    fixture_response,
    form_fields,
    scenario_handler,
    timeout,
)

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
IG = "17841405822304914"
CONTAINER = "17889455560051444"
MEDIA = "17918195224117851"
PERMALINK = "https://www.instagram.com/p/DQx7bV3jK2m/"
CREDENTIALS = Credentials(access_token="EAAJzQ1pageQmp4", account_id=IG)
TEXT = "Le marché de Noël ouvre ses portes le samedi 6 décembre place Saint-Michel !"
LINK = "https://www.quimperle.bzh/marche-de-noel"
IMAGE_URL = "https://parvis.example/media/7f3a/marche-de-noel.jpg"
PHOTO = MediaItem(
    content=b"\xff\xd8\xff\xe0 jpeg", mime_type="image/jpeg",
    alt_text="Chalets illuminés sur la place Saint-Michel", filename="noel.jpg",
)  # fmt: skip


def reply(name: str):
    return fixture_handler(FIXTURES, name)


def statuses(*names: str):
    """Container status answers, in order; the last one repeats."""
    queue = list(names)
    return lambda request: fixture_response(
        FIXTURES, f"container__{queue.pop(0) if len(queue) > 1 else queue[0]}"
    )


def ig_router(*, container=None, status=None, publish=None) -> Router:
    return (
        Router()
        .add("GET", r"/content_publishing_limit$", reply("content_publishing_limit__success"))
        .add("POST", rf"/{IG}/media$", container or reply("media__success"))
        .add("GET", rf"/{CONTAINER}$", status or statuses("finished"))
        .add("POST", r"/media_publish$", publish or reply("media_publish__success"))
        .add("GET", rf"/{MEDIA}$", reply("media__permalink"))
    )  # fmt: skip


def instagram(router: Router, **kwargs) -> InstagramConnector:
    kwargs = {
        "media_url_for": lambda item: IMAGE_URL,
        "sleep": lambda s: None,
        **kwargs,
    }
    return InstagramConnector(CREDENTIALS, router.client(), clock=lambda: NOW, **kwargs)


def draft(**kwargs) -> Draft:
    return Draft(
        **{"parts": (TEXT,), "idempotency_key": "pub-7", "media": (PHOTO,), **kwargs}
    )


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publish_follows_the_connector_contract(scenario):
    if scenario == "rejected":
        # Instagram refuses the content when it makes the container.
        router = ig_router(container=reply("media__rejected"))
    else:
        router = ig_router(
            publish=scenario_handler(FIXTURES, "media_publish", scenario)
        )
    if scenario == "success":
        result = instagram(router).publish(draft())
        assert (result.remote_id, result.url) == (MEDIA, PERMALINK)
        return
    error = contract_error(lambda: instagram(router).publish(draft()), scenario)
    if scenario == "rate_limited":
        assert error.retry_after == 15 * 60
    if scenario == "rejected":
        assert error.message == "The image size is too large."
        assert error.network_code == "36000/2207004"


def test_publish_sends_image_url_caption_and_alt_text_then_the_container():
    router = ig_router()
    asked = []
    connector = instagram(
        router, media_url_for=lambda item: asked.append(item) or IMAGE_URL
    )
    connector.publish(draft(link=LINK))
    assert asked == [PHOTO]
    container = router.requests_to(rf"/{IG}/media$")[0]
    assert str(container.url) == f"{GRAPH_URL}/{IG}/media"
    assert GRAPH_URL.endswith("/v27.0")
    assert form_fields(container) == {
        "image_url": IMAGE_URL,
        "caption": f"{TEXT}\n\n{LINK}",  # links do not click: written out in full
        "alt_text": "Chalets illuminés sur la place Saint-Michel",
        "access_token": "EAAJzQ1pageQmp4",
    }
    status = router.requests_to(rf"/{CONTAINER}$")[0]
    assert status.url.params["fields"] == "status_code"
    published = form_fields(router.requests_to(r"/media_publish$")[0])
    assert published == {"creation_id": CONTAINER, "access_token": "EAAJzQ1pageQmp4"}


def test_a_post_without_an_image_is_refused_in_french_before_any_call():
    router = ig_router()
    with pytest.raises(Rejected, match="Instagram publie toujours une image"):
        instagram(router).publish(draft(media=()))
    assert router.seen == []


def test_only_jpeg_images_are_accepted():
    png = MediaItem(b"\x89PNG", "image/png", "Affiche du marché")
    assert "Instagram n'accepte que des images JPEG." in instagram(Router()).problems(
        draft(media=(png,))
    )


def test_without_a_media_url_provider_publishing_is_unsupported():
    router = ig_router()
    connector = InstagramConnector(CREDENTIALS, router.client())
    with pytest.raises(Unsupported, match="media_url_for"):
        connector.publish(draft())
    assert not router.requests_to(r"/media")


def test_container_polling_sleeps_between_checks_until_finished():
    slept: list[float] = []
    router = ig_router(status=statuses("in_progress", "in_progress", "finished"))
    instagram(router, sleep=slept.append, status_interval=2.5).publish(draft())
    assert slept == [2.5, 2.5]
    assert len(router.requests_to(r"/media_publish$")) == 1


def test_polling_gives_up_after_bounded_checks_without_publishing():
    slept: list[float] = []
    router = ig_router(status=statuses("in_progress"))
    with pytest.raises(Unavailable) as caught:
        instagram(router, sleep=slept.append, status_checks=3).publish(draft())
    assert caught.value.maybe_sent is False
    assert len(slept) == 2
    assert not router.requests_to(r"/media_publish$")


@pytest.mark.parametrize("status", ["error", "expired"])
def test_a_failed_or_expired_container_is_rejected(status):
    router = ig_router(status=statuses(status))
    with pytest.raises(Rejected, match=status.upper()):
        instagram(router).publish(draft())
    assert not router.requests_to(r"/media_publish$")


def test_a_container_timeout_is_safe_to_retry():
    with pytest.raises(Unavailable) as caught:
        instagram(ig_router(container=timeout)).publish(draft())
    assert caught.value.maybe_sent is False


def test_an_exhausted_publishing_quota_stops_before_any_container():
    router = ig_router().add(
        "GET",
        r"/content_publishing_limit$",
        reply("content_publishing_limit__exhausted"),
    )
    router.routes.insert(0, router.routes.pop())  # the exhausted quota answers first
    with pytest.raises(RateLimited, match="50 publications"):
        instagram(router).publish(draft())
    assert not router.requests_to(rf"/{IG}/media$")


def test_publishing_quota_reads_usage_and_ceiling():
    router = ig_router()
    quota = instagram(router).publishing_quota()
    assert quota == parse.PublishingQuota(used=2, total=50, window_seconds=86400)
    assert quota.remaining == 48
    assert router.seen[0].url.params["fields"] == "quota_usage,config"


def test_caption_limits_are_instagram_ones():
    connector = instagram(Router())
    assert connector.limits.clickable_links is False
    assert connector.count("Noël 🎄") == 6
    assert connector.problems(draft(parts=("é" * 2_200,))) == []
    assert "2200" in connector.problems(draft(parts=("é" * 2_201,)))[0]
    hashtags = " ".join(f"#tag{n}" for n in range(31))
    assert "31 mots-dièse" in connector.problems(draft(parts=(hashtags,)))[0]


def test_delete_removes_the_media():
    router = Router().add("DELETE", rf"/{MEDIA}$", reply("media__deleted"))
    instagram(router).delete(MEDIA)
    assert router.seen[0].url.path == f"/v27.0/{MEDIA}"


def test_recent_posts_let_find_published_recognise_a_post():
    router = Router().add("GET", rf"/{IG}/media$", reply("media_list__success"))
    connector = instagram(router)
    posts = connector.recent_posts(limit=5)
    assert posts[0].created_at == dt.datetime(2026, 11, 9, 16, 5, 42, tzinfo=dt.UTC)
    assert router.seen[0].url.params["fields"] == "id,caption,permalink,timestamp"
    caption = f"{TEXT} #Quimperlé #NoëlEnBretagne"
    found = connector.find_published(draft(parts=(caption,), link=LINK))
    assert found is not None and (found.remote_id, found.url) == (MEDIA, PERMALINK)


def test_verify_reads_the_instagram_account():
    router = Router().add("GET", rf"/{IG}$", reply("ig_user__success"))
    account = instagram(router).verify()
    assert (account.account_id, account.handle) == (IG, "villedequimperle")
    assert account.url == "https://www.instagram.com/villedequimperle/"


def test_usage_headers_become_a_rate_limit_state():
    connector = instagram(ig_router())
    connector.publish(draft())
    assert connector.last_rate_limit == RateLimitState(remaining=94, reset_at=None)


@pytest.mark.parametrize(
    "error",
    [{"code": -1, "error_subcode": 2207001}, {"code": 36003, "is_transient": True}],
)
def test_transient_instagram_errors_are_unavailable(error):
    body = {
        "error": {
            "message": "Instagram server error.",
            "type": "OAuthException",
            **error,
        }
    }
    assert isinstance(parse.error_for(400, body, {}, None), Unavailable)


# -- OAuth ----------------------------------------------------------------------------
CLIENT = OAuthClient("611200394857", "app-secret", "https://parvis.example/oauth/ig")


def test_authorization_url_asks_for_publishing_and_deleting():
    flow = InstagramOAuth(CLIENT)
    url = httpx.URL(flow.authorization_url(state="s9", code_challenge="c"))
    assert (url.host, url.path, url.params["state"]) == (
        "www.facebook.com",
        "/v27.0/dialog/oauth",
        "s9",
    )
    scopes = url.params["scope"].split(",")
    assert {"instagram_content_publish", "instagram_manage_contents"} <= set(scopes)


def test_login_leads_to_the_page_token_of_the_linked_instagram_account():
    def token(request: httpx.Request) -> httpx.Response:
        exchange = request.url.params.get("grant_type") == "fb_exchange_token"
        return fixture_response(
            FIXTURES, "oauth_access_token__" + ("long_lived" if exchange else "code")
        )

    router = Router().add("GET", r"/oauth/access_token$", token)
    router.add("GET", r"/me/accounts$", reply("accounts__instagram"))
    flow = InstagramOAuth(CLIENT, router.client(), clock=lambda: NOW)
    user = flow.exchange_code(code="AQD-code", code_verifier="")
    assert user.expires_at == NOW + dt.timedelta(seconds=5183944)
    assert [account.account_id for account in flow.accounts(user)] == [IG]
    accounts_request = router.requests_to(r"/me/accounts$")[0]
    assert "instagram_business_account" in accounts_request.url.params["fields"]
    chosen = flow.select(user, IG)
    assert (chosen.access_token, chosen.account_id) == ("EAAJzQ1pageQmp4", IG)
    assert chosen.extra["page_id"] == "104508592408917"
    with pytest.raises(Unsupported):
        flow.refresh(chosen)

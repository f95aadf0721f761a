import datetime as dt
import json
from pathlib import Path

import httpx
import pytest

from parvis.connectors.base import (
    Credentials,
    Draft,
    MediaItem,
    PublishedPart,
    RateLimitState,
)
from parvis.connectors.errors import (
    AuthExpired,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)
from parvis.connectors.facebook import parse
from parvis.connectors.facebook.connector import GRAPH_URL, FacebookConnector
from parvis.connectors.facebook.oauth import FacebookOAuth
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
PAGE = "104508592408917"
POST = f"{PAGE}_122183947562018734"
PERMALINK = f"https://www.facebook.com/{PAGE}/posts/122183947562018734"
CREDENTIALS = Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE)
TEXT = "Travaux rue de Brest : la circulation sera alternée du 12 au 16 novembre."
LINK = "https://www.quimperle.bzh/actualites/travaux-rue-de-brest"
PHOTO = MediaItem(
    content=b"\xff\xd8\xff\xe0 jpeg", mime_type="image/jpeg",
    alt_text="Engins de chantier devant la mairie", filename="chantier.jpg",
)  # fmt: skip


def reply(name: str):
    return fixture_handler(FIXTURES, name)


def page_router(feed=None) -> Router:
    return (
        Router()
        .add("POST", r"/feed$", feed or reply("feed__success"))
        .add("GET", rf"/{POST}$", reply("post__permalink"))
    )


def facebook(router: Router) -> FacebookConnector:
    return FacebookConnector(CREDENTIALS, http=router.client(), clock=lambda: NOW)


def draft(**kwargs) -> Draft:
    return Draft(**{"parts": (TEXT,), "idempotency_key": "pub-42", **kwargs})


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publish_follows_the_connector_contract(scenario):
    handler = scenario_handler(FIXTURES, "feed", scenario)
    connector = facebook(page_router(feed=handler))
    if scenario == "success":
        result = connector.publish(draft())
        assert (result.remote_id, result.url) == (POST, PERMALINK)
        return
    error = contract_error(lambda: connector.publish(draft()), scenario)
    if scenario == "rate_limited":
        assert error.retry_after == 7 * 60  # estimated_time_to_regain_access, minutes
    if scenario == "rejected":
        assert "(#506) Duplicate status message" in error.message
        assert error.network_code == "506"


def test_text_post_sends_message_and_link_with_the_token_in_the_body():
    router = page_router()
    facebook(router).publish(draft(link=LINK))
    sent = router.requests_to(r"/feed$")[0]
    assert str(sent.url) == f"{GRAPH_URL}/{PAGE}/feed"
    assert GRAPH_URL.endswith("/v27.0")
    assert form_fields(sent) == {
        "message": TEXT,
        "link": LINK,
        "access_token": "EAAJzQ1pageQmp4",
    }


def test_photos_go_up_unpublished_with_alt_text_then_into_one_post():
    photo_ids = iter(["photos__first", "photos__second"])
    router = page_router().add(
        "POST", r"/photos$", lambda request: fixture_response(FIXTURES, next(photo_ids))
    )
    second = MediaItem(b"\xff\xd8 deux", "image/jpeg", "Plan de la déviation")
    facebook(router).publish(draft(media=(PHOTO, second), link=LINK))
    uploads = router.requests_to(r"/photos$")
    body = uploads[0].content
    assert b'name="published"\r\n\r\nfalse' in body
    assert b'name="alt_text_custom"\r\n\r\nEngins de chantier' in body
    assert b'name="source"; filename="chantier.jpg"' in body
    assert b"\xff\xd8\xff\xe0 jpeg" in body
    assert "Plan de la déviation".encode() in uploads[1].content
    sent = form_fields(router.requests_to(r"/feed$")[0])
    assert json.loads(sent["attached_media[0]"]) == {"media_fbid": "122183947500018734"}
    assert json.loads(sent["attached_media[1]"]) == {"media_fbid": "122183947512018734"}
    assert "link" not in sent  # photos replace the link card: the link joins the text
    assert sent["message"] == f"{TEXT}\n\n{LINK}"


def test_a_photo_upload_timeout_is_safe_to_retry():
    router = page_router().add("POST", r"/photos$", timeout)
    with pytest.raises(Unavailable) as caught:
        facebook(router).publish(draft(media=(PHOTO,)))
    assert caught.value.maybe_sent is False
    assert not router.requests_to(r"/feed$")


def test_first_comment_is_written_under_the_new_post():
    router = page_router().add("POST", r"/comments$", reply("comments__success"))
    facebook(router).publish(draft(first_comment="Plan des déviations : en mairie."))
    sent = router.requests_to(r"/comments$")[0]
    assert sent.url.path == f"/v27.0/{POST}/comments"
    assert form_fields(sent)["message"] == "Plan des déviations : en mairie."


def test_a_failed_first_comment_leaves_the_post_published_with_a_warning():
    router = page_router().add("POST", r"/comments$", reply("feed__server_error"))
    result = facebook(router).publish(draft(first_comment="Plan des déviations"))
    assert result.parts == (PublishedPart(POST, PERMALINK),)
    assert len(result.warnings) == 1
    assert "premier commentaire n'a pas pu être ajouté" in result.warnings[0]
    assert len(router.requests_to(r"/feed$")) == 1


def test_threads_are_refused_before_anything_is_sent():
    router = page_router()
    with pytest.raises(Rejected, match="ne publie pas de fil"):
        facebook(router).publish(draft(parts=("Partie une.", "Partie deux.")))
    assert router.seen == []


def test_counting_is_in_characters_up_to_63206():
    connector = facebook(Router())
    assert connector.count("Fête 👍") == 6
    assert connector.count(f"Voir {LINK}") == 5 + len(LINK)  # no URL shortening
    assert connector.problems(draft(parts=("é" * 63_206,))) == []
    assert "63206" in connector.problems(draft(parts=("é" * 63_207,)))[0]


def test_delete_removes_the_post_by_its_id():
    router = Router().add("DELETE", rf"/{POST}$", reply("post__deleted"))
    facebook(router).delete(POST)
    sent = router.seen[0]
    assert sent.url.path == f"/v27.0/{POST}"
    assert sent.url.params["access_token"] == "EAAJzQ1pageQmp4"


def test_recent_posts_let_find_published_recognise_a_post():
    router = Router().add(
        "GET", r"/published_posts$", reply("published_posts__success")
    )
    connector = facebook(router)
    posts = connector.recent_posts(limit=2)
    assert posts[0].remote_id == POST
    assert posts[0].created_at == dt.datetime(2026, 11, 9, 16, 2, 11, tzinfo=dt.UTC)
    assert (
        router.seen[0].url.params["fields"] == "id,message,created_time,permalink_url"
    )
    found = connector.find_published(
        draft(parts=(TEXT + " Merci de votre patience !",))
    )
    assert found is not None and found.url == PERMALINK


def test_verify_reads_the_page():
    router = Router().add("GET", rf"/{PAGE}$", reply("page__success"))
    account = facebook(router).verify()
    assert (account.account_id, account.display_name) == (PAGE, "Ville de Quimperlé")
    assert account.url == "https://www.facebook.com/villedequimperle"


def test_usage_headers_become_a_rate_limit_state():
    connector = facebook(page_router())
    connector.publish(draft())
    assert connector.last_rate_limit == RateLimitState(remaining=97, reset_at=None)
    throttled = fixture_response(FIXTURES, "feed__rate_limited").headers
    state = parse.rate_limit_state(throttled, NOW)
    assert state == RateLimitState(remaining=0, reset_at=NOW + dt.timedelta(minutes=7))
    app = {"x-app-usage": '{"call_count": 28, "total_time": 25, "total_cputime": 25}'}
    assert parse.rate_limit_state(app, NOW) == RateLimitState(72, None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [(190, AuthExpired), (102, AuthExpired), (10, AuthExpired), (200, AuthExpired),
     (4, RateLimited), (17, RateLimited), (32, RateLimited), (613, RateLimited),
     (80001, RateLimited), (1, Unavailable), (2, Unavailable), (100, Rejected),
     (368, Rejected), (506, Rejected)],
)  # fmt: skip
def test_graph_error_codes_map_to_the_error_tree(code, expected):
    body = {"error": {"message": "m", "type": "OAuthException", "code": code}}
    error = parse.error_for(400, body, {}, None)
    assert type(error) is expected
    if expected is RateLimited:
        assert error.retry_after == parse.DEFAULT_RETRY_AFTER


# -- OAuth ----------------------------------------------------------------------------
CLIENT = OAuthClient("611200394857", "app-secret", "https://parvis.example/oauth/fb")


def oauth_router() -> Router:
    def token(request: httpx.Request) -> httpx.Response:
        exchange = request.url.params.get("grant_type") == "fb_exchange_token"
        name = "long_lived" if exchange else "code"
        return fixture_response(FIXTURES, f"oauth_access_token__{name}")

    router = Router().add("GET", r"/oauth/access_token$", token)
    return router.add("GET", r"/me/accounts$", reply("accounts__success"))


def test_authorization_url_carries_state_and_scopes_but_no_pkce():
    url = httpx.URL(
        FacebookOAuth(CLIENT).authorization_url(state="s7", code_challenge="c")
    )
    assert (url.host, url.path) == ("www.facebook.com", "/v27.0/dialog/oauth")
    assert url.params["state"] == "s7"
    assert url.params["client_id"] == "611200394857"
    assert url.params["redirect_uri"] == "https://parvis.example/oauth/fb"
    assert "pages_manage_posts" in url.params["scope"].split(",")
    assert "code_challenge" not in url.params  # Meta's PKCE is OIDC-only, in testing


def test_a_login_for_business_configuration_replaces_the_scopes():
    flow = FacebookOAuth(CLIENT, config_id="88412")
    url = httpx.URL(flow.authorization_url(state="s7", code_challenge="c"))
    assert url.params["config_id"] == "88412"
    assert "scope" not in url.params


def test_code_exchange_yields_a_long_lived_user_token():
    router = oauth_router()
    flow = FacebookOAuth(CLIENT, router.client(), clock=lambda: NOW)
    user = flow.exchange_code(code="AQD-code", code_verifier="unused")
    assert user.access_token == "EAAJzQ1long7Hk3"
    assert user.expires_at == NOW + dt.timedelta(seconds=5183944)
    first, second = (request.url.params for request in router.seen)
    assert (first["code"], first["client_secret"]) == ("AQD-code", "app-secret")
    assert second["fb_exchange_token"] == "EAAJzQ1short2Zq8"


def test_the_chosen_page_gets_its_own_token():
    flow = FacebookOAuth(CLIENT, oauth_router().client(), clock=lambda: NOW)
    user = Credentials(access_token="EAAJzQ1long7Hk3")
    names = [account.display_name for account in flow.accounts(user)]
    assert names == ["Ville de Quimperlé", "Médiathèque de Quimperlé"]
    page = flow.select(user, "108725103947262")
    assert (page.access_token, page.account_id) == (
        "EAAJzQ1pageMed9",
        "108725103947262",
    )
    assert page.expires_at is None
    with pytest.raises(Rejected):
        flow.select(user, "999")


def test_a_used_code_is_rejected_with_facebook_message():
    router = Router().add(
        "GET", r"/oauth/access_token$", reply("oauth_access_token__used_code")
    )
    flow = FacebookOAuth(CLIENT, router.client())
    with pytest.raises(Rejected, match="authorization code has been used"):
        flow.exchange_code(code="AQD-code", code_verifier="")


def test_meta_tokens_cannot_be_refreshed():
    with pytest.raises(Unsupported):
        FacebookOAuth(CLIENT).refresh(CREDENTIALS)
    with pytest.raises(Unsupported):
        facebook(Router()).refresh()

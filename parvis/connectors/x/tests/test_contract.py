import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from parvis.connectors.base import Credentials, Draft, MediaItem
from parvis.connectors.errors import AuthExpired, RateLimited, Unavailable
from parvis.connectors.oauth import OAuthClient, code_challenge
from parvis.connectors.testing import (
    CONTRACT_SCENARIOS,
    Router,
    contract_error,
    fixture_response,
    scenario_handler,
    timeout,
)
from parvis.connectors.x.connector import XConnector
from parvis.connectors.x.oauth import XOAuth

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(
    2026, 11, 26, 14, 0, tzinfo=dt.UTC
)  # 15 min before the fixtures' reset
CREDENTIALS = Credentials(access_token="jeton-x", account_id="1512345678901234567")
CLIENT = OAuthClient(
    "Y2xpZW50LXBhcnZpcw", "secret-parvis", "https://parvis.example/oauth/x"
)
TEXT = "Travaux rue de Dinan : circulation alternée du 30 novembre au 4 décembre."
DRAFT = Draft(parts=(TEXT,), idempotency_key="publication-42")
IMAGE = MediaItem(
    b"\x89PNG...", "image/png", "Engins de chantier rue de Dinan", "dinan.png"
)


def reply(name: str) -> httpx.Response:
    return fixture_response(FIXTURES, name)


def connector(router: Router) -> XConnector:
    return XConnector(
        CREDENTIALS, router.client(), oauth_client=CLIENT, now=lambda: NOW
    )


def posting(*outcomes: str):
    """A POST /2/tweets handler answering each call with the next outcome: a post id,
    or the name of an error fixture."""
    queue = iter(outcomes)

    def handler(request: httpx.Request) -> httpx.Response:
        outcome = next(queue)
        if not outcome.isdigit():
            return reply(outcome)
        text = json.loads(request.content)["text"]
        data = {"id": outcome, "text": text, "edit_history_tweet_ids": [outcome]}
        return fixture_response(FIXTURES, "tweets_create__success", data=data)

    return handler


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publishing_maps_each_outcome_of_x_to_the_error_tree(scenario):
    handler = scenario_handler(FIXTURES, "tweets_create", scenario)
    router = Router().add("POST", r"^/2/tweets$", handler)
    if scenario == "success":
        result = connector(router).publish(DRAFT)
        assert result.remote_id == "1994012345678901234"
        assert result.url == "https://x.com/i/web/status/1994012345678901234"
        return
    error = contract_error(lambda: connector(router).publish(DRAFT), scenario)
    if scenario == "rate_limited":
        assert error.retry_after == 900  # x-rate-limit-reset, as X sends no Retry-After
        assert error.message == "Rate limit exceeded"
    if scenario == "rejected":
        assert (
            error.message
            == "You are not allowed to create a Tweet with duplicate content."
        )
        assert error.status == 403


def test_a_post_is_sent_as_json_to_the_v2_endpoint_with_the_user_token():
    router = Router().add("POST", r"^/2/tweets$", posting("1994012345678901234"))
    connector(router).publish(DRAFT)
    (request,) = router.seen
    assert str(request.url) == "https://api.x.com/2/tweets"
    assert request.headers["Authorization"] == "Bearer jeton-x"
    assert json.loads(request.content) == {"text": TEXT}


def test_counting_follows_the_weighted_length_of_x():
    x = XConnector(CREDENTIALS, httpx.Client())
    link = "https://www.saint-malo.fr/actualites/travaux-de-voirie-rue-de-dinan-2026"
    assert x.count(f"Détails : {link}") == len("Détails : ") + 23
    assert x.count("Joyeux Noël 🎄") == 14
    too_long = Draft(parts=("é" * 281,), idempotency_key="k")
    assert "au-delà de la limite de 280" in " ".join(x.problems(too_long))


def test_a_thread_is_posted_in_order_each_part_replying_to_the_previous():
    router = Router().add("POST", r"^/2/tweets$", posting("101", "102", "103"))
    thread = Draft(parts=("Un 1/3", "Deux 2/3", "Trois 3/3"), idempotency_key="fil-7")
    result = connector(router).publish(thread)
    bodies = [json.loads(request.content) for request in router.seen]
    assert [body["text"] for body in bodies] == ["Un 1/3", "Deux 2/3", "Trois 3/3"]
    assert "reply" not in bodies[0]
    assert bodies[1]["reply"] == {"in_reply_to_tweet_id": "101"}
    assert bodies[2]["reply"] == {"in_reply_to_tweet_id": "102"}
    assert [part.remote_id for part in result.parts] == ["101", "102", "103"]


def test_a_failing_second_part_stops_the_thread_and_reports_the_first_one():
    router = Router().add(
        "POST", r"^/2/tweets$", posting("101", "tweets_create__server_error", "103")
    )
    thread = Draft(parts=("Un 1/3", "Deux 2/3", "Trois 3/3"), idempotency_key="fil-7")
    with pytest.raises(Unavailable) as caught:
        connector(router).publish(thread)
    assert caught.value.message == "partie 2/3 : Service Unavailable"
    assert [part.remote_id for part in caught.value.published_parts] == ["101"]
    assert len(router.seen) == 2  # the third part was never sent


def test_an_image_is_uploaded_then_described_then_attached_to_the_first_part():
    router = (
        Router()
        .reply("POST", r"^/2/media/upload$", reply("media_upload__success"))
        .reply("POST", r"^/2/media/metadata$", reply("media_metadata__success"))
        .add("POST", r"^/2/tweets$", posting("101", "102"))
    )
    draft = Draft(parts=("Un", "Deux"), idempotency_key="k", media=(IMAGE,))
    connector(router).publish(draft)
    upload, metadata, first, second = router.seen
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="media_category"\r\n\r\ntweet_image' in upload.content
    assert b"\x89PNG..." in upload.content
    assert json.loads(metadata.content) == {
        "id": "1994012345678900001",
        "metadata": {"alt_text": {"text": "Engins de chantier rue de Dinan"}},
    }
    assert json.loads(first.content)["media"] == {"media_ids": ["1994012345678900001"]}
    assert "media" not in json.loads(second.content)


def test_a_timed_out_image_upload_is_not_a_post_of_unknown_outcome():
    router = Router().add("POST", r"^/2/media/upload$", timeout)
    draft = Draft(parts=(TEXT,), idempotency_key="k", media=(IMAGE,))
    with pytest.raises(Unavailable) as caught:
        connector(router).publish(draft)
    assert not caught.value.maybe_sent
    assert caught.value.message.startswith("image : ")


def test_animated_gifs_are_refused_before_calling_x():
    gif = MediaItem(b"GIF89a", "image/gif", "Feu d'artifice du 14 juillet")
    draft = Draft(parts=(TEXT,), idempotency_key="k", media=(gif,))
    problems = XConnector(CREDENTIALS, httpx.Client()).problems(draft)
    assert "X : seules les images JPEG, PNG ou WebP sont prises en charge." in problems


def test_delete_removes_the_post_by_its_id():
    router = Router().reply(
        "DELETE", r"^/2/tweets/\d+$", reply("tweets_delete__success")
    )
    connector(router).delete("1994012345678901234")
    assert router.seen[0].url.path == "/2/tweets/1994012345678901234"


def test_find_published_recognises_our_post_behind_a_shortened_link():
    router = Router().reply(
        "GET", r"^/2/users/1512345678901234567/tweets$", reply("users_tweets__success")
    )
    draft = Draft(
        parts=(
            "Travaux rue de Dinan : la circulation sera alternée du lundi 30 novembre "
            "au vendredi 4 décembre, de 8 h à 17 h. Merci de votre patience. "
            "https://www.saint-malo.fr/travaux-dinan",
        ),
        idempotency_key="k",
    )
    found = connector(router).find_published(draft)
    assert found is not None
    assert found.remote_id == "1994012345678901234"
    assert found.created_at == dt.datetime(2026, 11, 26, 8, 2, 11, tzinfo=dt.UTC)
    query = parse_qs(urlsplit(str(router.seen[0].url)).query)
    assert query == {"max_results": ["40"], "tweet.fields": ["created_at"]}


def test_verify_returns_the_account_behind_the_token():
    router = Router().reply("GET", r"^/2/users/me$", reply("users_me__success"))
    account = connector(router).verify()
    assert account.account_id == "1512345678901234567"
    assert account.handle == "VilleStMalo"
    assert account.display_name == "Ville de Saint-Malo"
    assert account.url == "https://x.com/VilleStMalo"


def test_rate_headers_are_read_after_each_call_and_an_exhausted_daily_cap_wins():
    router = Router().add("POST", r"^/2/tweets$", posting("101"))
    x = connector(router)
    x.publish(DRAFT)
    assert x.last_rate_limit is not None
    assert x.last_rate_limit.remaining == 99
    assert x.last_rate_limit.reset_at == dt.datetime(
        2026, 11, 26, 14, 15, tzinfo=dt.UTC
    )
    capped = httpx.Response(
        429,
        headers={
            "x-rate-limit-remaining": "98",
            "x-rate-limit-reset": "1795702500",
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": "1795737600",  # midnight
        },
        json={"title": "Too Many Requests", "type": "about:blank", "status": 429},
    )
    error = x.error_from(capped)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 10 * 3600


def test_the_authorization_url_asks_for_the_scopes_with_state_and_s256_challenge():
    flow = XOAuth(CLIENT, httpx.Client())
    url = urlsplit(flow.authorization_url(state="etat-123", code_challenge="defi"))
    assert (
        f"{url.scheme}://{url.netloc}{url.path}" == "https://x.com/i/oauth2/authorize"
    )
    assert parse_qs(url.query) == {
        "response_type": ["code"],
        "client_id": ["Y2xpZW50LXBhcnZpcw"],
        "redirect_uri": ["https://parvis.example/oauth/x"],
        "scope": [
            "tweet.read tweet.write users.read offline.access media.write "
            "tweet.moderate.write"
        ],
        "state": ["etat-123"],
        "code_challenge": ["defi"],
        "code_challenge_method": ["S256"],
    }


def test_the_code_exchange_sends_the_verifier_and_returns_expiring_credentials():
    router = Router().reply(
        "POST", r"^/2/oauth2/token$", reply("oauth2_token__success")
    )
    flow = XOAuth(CLIENT, router.client(), now=lambda: NOW)
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier)  # the challenge sent earlier came from it
    credentials = flow.exchange_code(code="VGNibzFWSWREZm01", code_verifier=verifier)
    (request,) = router.seen
    assert request.headers["Authorization"].startswith("Basic ")
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["authorization_code"],
        "code": ["VGNibzFWSWREZm01"],
        "redirect_uri": ["https://parvis.example/oauth/x"],
        "code_verifier": [verifier],
    }
    assert credentials.access_token.startswith("Q0Mzb0VhZ0V5")
    assert credentials.refresh_token.startswith("bWRWa3gzdnk3")
    assert credentials.expires_at == NOW + dt.timedelta(hours=2)


def test_refreshing_rotates_the_tokens_and_keeps_the_account():
    router = Router().reply(
        "POST", r"^/2/oauth2/token$", reply("oauth2_token__refresh")
    )
    x = connector(router)
    x.credentials = Credentials("ancien", CREDENTIALS.account_id, refresh_token="r1")
    fresh = x.refresh()
    form = parse_qs(router.seen[0].content.decode())
    assert form == {"grant_type": ["refresh_token"], "refresh_token": ["r1"]}
    assert fresh.account_id == "1512345678901234567"
    assert fresh.access_token.startswith("TnBqSlhI")
    assert fresh.refresh_token.startswith("cEtkT3Zx")


def test_a_refused_refresh_token_means_the_account_must_be_reconnected():
    router = Router().reply(
        "POST", r"^/2/oauth2/token$", reply("oauth2_token__invalid_grant")
    )
    flow = XOAuth(CLIENT, router.client())
    with pytest.raises(AuthExpired) as caught:
        flow.refresh(Credentials("ancien", refresh_token="r1"))
    assert caught.value.message == "Value passed for the token was invalid."

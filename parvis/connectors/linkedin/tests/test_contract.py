import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from parvis.connectors.base import Credentials, Draft, MediaItem
from parvis.connectors.errors import (
    AuthExpired,
    RateLimited,
    Unavailable,
    Unsupported,
)
from parvis.connectors.linkedin.connector import LinkedInConnector, little_text
from parvis.connectors.linkedin.oauth import LinkedInOAuth
from parvis.connectors.oauth import OAuthClient
from parvis.connectors.testing import (
    CONTRACT_SCENARIOS,
    Router,
    contract_error,
    fixture_response,
    scenario_handler,
    timeout,
)

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
CREDENTIALS = Credentials(access_token="jeton-linkedin", account_id="10002687")
CLIENT = OAuthClient(
    "86abcdefgh1234", "secret-parvis", "https://parvis.example/oauth/li"
)
TEXT = "Conseil municipal jeudi 3 décembre à 18 h 30, hôtel de ville. #SaintMalo"
DRAFT = Draft(parts=(TEXT,), idempotency_key="publication-42")
UPLOAD_PATH = r"^/dms-uploads/sp/D4E10AQHx7kq2Vn3Ytg/uploaded-image/0$"


def reply(name: str) -> httpx.Response:
    return fixture_response(FIXTURES, name)


def connector(router: Router, now: dt.datetime = NOW) -> LinkedInConnector:
    return LinkedInConnector(
        CREDENTIALS, router.client(), oauth_client=CLIENT, now=lambda: now
    )


def image_router() -> Router:
    """Image registration, upload and post, all successful."""
    return (
        Router()
        .reply("POST", r"^/rest/images$", reply("images_initialize__success"))
        .reply("PUT", UPLOAD_PATH, reply("images_upload__success"))
        .reply("POST", r"^/rest/posts$", reply("posts_create__success"))
    )


def image(alt: str) -> MediaItem:
    return MediaItem(b"\xff\xd8\xff photo", "image/jpeg", alt, "conseil.jpg")


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publishing_maps_each_outcome_of_linkedin_to_the_error_tree(scenario):
    handler = scenario_handler(FIXTURES, "posts_create", scenario)
    router = Router().add("POST", r"^/rest/posts$", handler)
    if scenario == "success":
        result = connector(router).publish(DRAFT)
        assert result.remote_id == "urn:li:share:7399912345678901234"
        assert result.url == (
            "https://www.linkedin.com/feed/update/urn:li:share:7399912345678901234/"
        )
        return
    error = contract_error(lambda: connector(router).publish(DRAFT), scenario)
    if scenario == "expired_token":
        assert error.network_code == "EXPIRED_ACCESS_TOKEN"
    if scenario == "rate_limited":
        assert error.retry_after == 3600  # no Retry-After: within the hour
    if scenario == "rejected":
        assert (
            error.message
            == "Content is a duplicate of urn:li:share:7399900000000000000"
        )
        assert error.network_code == "DUPLICATE_POST"


def test_a_post_is_sent_as_the_organization_with_the_pinned_version_headers():
    router = Router().reply("POST", r"^/rest/posts$", reply("posts_create__success"))
    connector(router).publish(DRAFT)
    (request,) = router.seen
    assert str(request.url) == "https://api.linkedin.com/rest/posts"
    assert request.headers["Authorization"] == "Bearer jeton-linkedin"
    assert request.headers["LinkedIn-Version"] == "202605"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert json.loads(request.content) == {
        "author": "urn:li:organization:10002687",
        "commentary": TEXT,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("Réunion (salle des fêtes) à 18 h", r"Réunion \(salle des fêtes\) à 18 h"),
        ("Écrire à contact@saint-malo.fr", r"Écrire à contact\@saint-malo.fr"),
        (
            "[Info] <urgent> *gratuit* | ouvert_tous",
            r"\[Info\] \<urgent\> \*gratuit\* \| ouvert\_tous",
        ),
        ("Chemin C:\\Documents ~ 5 €", r"Chemin C:\\Documents \~ 5 €"),
        (
            "Fête de la #Musique et du #Patrimoine",
            "Fête de la #Musique et du #Patrimoine",
        ),
        ("Écran C# et billet # 3 et #2026", r"Écran C\# et billet \# 3 et \#2026"),
        (
            "Agenda https://www.saint-malo.fr/agenda_2026#juin",
            r"Agenda https://www.saint-malo.fr/agenda\_2026\#juin",
        ),
    ],
)
def test_commentary_escapes_little_format_characters_but_keeps_hashtags(written, sent):
    assert little_text(written) == sent


def test_commentary_is_escaped_in_the_request_and_counted_as_written():
    router = Router().reply("POST", r"^/rest/posts$", reply("posts_create__success"))
    linkedin = connector(router)
    linkedin.publish(Draft(parts=("Vœux du maire (vidéo)",), idempotency_key="k"))
    assert (
        json.loads(router.seen[0].content)["commentary"] == r"Vœux du maire \(vidéo\)"
    )
    assert linkedin.count("Vœux du maire (vidéo) 🎉") == 23
    too_long = Draft(parts=("a" * 3001,), idempotency_key="k")
    assert "au-delà de la limite de 3000" in " ".join(linkedin.problems(too_long))


def test_a_thread_is_refused_as_linkedin_has_none():
    linkedin = connector(Router())
    thread = Draft(parts=("Un", "Deux"), idempotency_key="k")
    assert "LinkedIn ne publie pas de fil" in " ".join(linkedin.problems(thread))
    with pytest.raises(Unsupported):
        linkedin.publish(thread)


def test_an_image_is_registered_uploaded_then_posted_with_its_alt_text():
    router = image_router()
    alt = "La salle du conseil de l'hôtel de ville"
    draft = Draft(parts=(TEXT,), idempotency_key="k", media=(image(alt),))
    connector(router).publish(draft)
    initialize, upload, post = router.seen
    assert initialize.url.params["action"] == "initializeUpload"
    assert json.loads(initialize.content) == {
        "initializeUploadRequest": {"owner": "urn:li:organization:10002687"}
    }
    assert upload.url.host == "www.linkedin.com"
    assert upload.content == b"\xff\xd8\xff photo"
    assert upload.headers["Authorization"] == "Bearer jeton-linkedin"
    assert json.loads(post.content)["content"] == {
        "media": {"id": "urn:li:image:D4E10AQHx7kq2Vn3Ytg", "altText": alt}
    }


def test_several_images_make_a_multi_image_post():
    router = image_router()
    media = (image("Façade"), image("Salle"))
    connector(router).publish(Draft(parts=(TEXT,), idempotency_key="k", media=media))
    content = json.loads(router.seen[-1].content)["content"]
    assert [item["altText"] for item in content["multiImage"]["images"]] == [
        "Façade",
        "Salle",
    ]


def test_a_timed_out_image_upload_is_not_a_post_of_unknown_outcome():
    router = (
        Router()
        .reply("POST", r"^/rest/images$", reply("images_initialize__success"))
        .add("PUT", UPLOAD_PATH, timeout)
    )
    draft = Draft(parts=(TEXT,), idempotency_key="k", media=(image("Salle"),))
    with pytest.raises(Unavailable) as caught:
        connector(router).publish(draft)
    assert not caught.value.maybe_sent
    assert caught.value.message.startswith("image : ")


def test_delete_sends_the_encoded_urn():
    router = Router().reply("DELETE", r"^/rest/posts/", reply("posts_delete__success"))
    connector(router).delete("urn:li:share:7399912345678901234")
    (request,) = router.seen
    assert request.url.raw_path == b"/rest/posts/urn%3Ali%3Ashare%3A7399912345678901234"
    assert request.headers["X-RestLi-Method"] == "DELETE"
    assert request.headers["LinkedIn-Version"] == "202605"


def test_recent_posts_read_back_plain_text_and_let_find_published_match():
    router = Router().reply("GET", r"^/rest/posts$", reply("posts_by_author__success"))
    linkedin = connector(router)
    draft = Draft(
        parts=(
            "Conseil municipal jeudi 3 décembre à 18 h 30 (salle du conseil, hôtel de "
            "ville). Ordre du jour : https://www.saint-malo.fr/conseil_municipal "
            "#SaintMalo",
        ),
        idempotency_key="k",
    )
    found = linkedin.find_published(draft)
    assert found is not None
    assert found.remote_id == "urn:li:share:7399912345678901234"
    assert found.text == draft.parts[0]
    assert found.created_at == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    (request,) = router.seen
    assert request.url.query == (
        b"author=urn%3Ali%3Aorganization%3A10002687&q=author&count=40"
        b"&sortBy=LAST_MODIFIED"
    )
    assert request.headers["X-RestLi-Method"] == "FINDER"
    texts = [post.text for post in linkedin.recent_posts(limit=2)]
    assert texts[1].startswith("La Ville recrute un ou une chargé(e) de mission")


def test_verify_returns_the_organization_page():
    router = Router().reply(
        "GET", r"^/rest/organizations/10002687$", reply("organizations_get__success")
    )
    page = connector(router).verify()
    assert page.account_id == "10002687"
    assert page.handle == "ville-de-saint-malo"
    assert page.display_name == "Ville de Saint-Malo"
    assert page.url == "https://www.linkedin.com/company/ville-de-saint-malo/"


def test_a_throttled_call_waits_for_midnight_utc_when_it_is_near():
    before_midnight = dt.datetime(2026, 11, 26, 23, 50, tzinfo=dt.UTC)
    router = Router().reply(
        "POST", r"^/rest/posts$", reply("posts_create__rate_limited")
    )
    linkedin = connector(router, now=before_midnight)
    with pytest.raises(RateLimited) as caught:
        linkedin.publish(DRAFT)
    assert caught.value.retry_after == 600
    assert linkedin.last_rate_limit is not None
    assert linkedin.last_rate_limit.remaining == 0
    assert linkedin.last_rate_limit.reset_at == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def test_the_authorization_url_carries_the_state_and_the_organization_scopes():
    flow = LinkedInOAuth(CLIENT, httpx.Client())
    url = urlsplit(flow.authorization_url(state="etat-123", code_challenge="ignore"))
    assert url.netloc + url.path == "www.linkedin.com/oauth/v2/authorization"
    assert parse_qs(url.query) == {
        "response_type": ["code"],
        "client_id": ["86abcdefgh1234"],
        "redirect_uri": ["https://parvis.example/oauth/li"],
        "state": ["etat-123"],
        "scope": ["w_organization_social r_organization_social rw_organization_admin"],
    }


def test_the_code_exchange_returns_credentials_expiring_in_sixty_days():
    router = Router().reply(
        "POST", r"^/oauth/v2/accessToken$", reply("oauth_access_token__success")
    )
    flow = LinkedInOAuth(CLIENT, router.client(), now=lambda: NOW)
    credentials = flow.exchange_code(
        code="AQTQmah11lalyH65DAIivsjsAQV5P", code_verifier=""
    )
    assert parse_qs(router.seen[0].content.decode()) == {
        "grant_type": ["authorization_code"],
        "code": ["AQTQmah11lalyH65DAIivsjsAQV5P"],
        "redirect_uri": ["https://parvis.example/oauth/li"],
        "client_id": ["86abcdefgh1234"],
        "client_secret": ["secret-parvis"],
    }
    assert credentials.access_token == "AQUvlL_DYEzvT2wz1QJiEPeLioeA"
    assert credentials.expires_at == NOW + dt.timedelta(days=60)
    assert credentials.extra["refresh_expires_at"] == "2027-11-26T14:00:00+00:00"


def test_refreshing_keeps_the_organization_and_renews_the_access_token():
    router = Router().reply(
        "POST", r"^/oauth/v2/accessToken$", reply("oauth_access_token__refresh")
    )
    linkedin = connector(router)
    linkedin.credentials = Credentials("ancien", "10002687", refresh_token="AQWAft")
    fresh = linkedin.refresh()
    form = parse_qs(router.seen[0].content.decode())
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["AQWAft"]
    assert fresh.account_id == "10002687"
    assert fresh.access_token.startswith("AQXNnd2k")


def test_a_refused_refresh_token_or_none_at_all_means_reconnecting():
    router = Router().reply(
        "POST", r"^/oauth/v2/accessToken$", reply("oauth_access_token__invalid_grant")
    )
    flow = LinkedInOAuth(CLIENT, router.client())
    with pytest.raises(AuthExpired) as caught:
        flow.refresh(Credentials("ancien", refresh_token="AQWAft"))
    assert caught.value.network_code == "invalid_grant"
    with pytest.raises(AuthExpired):
        flow.refresh(Credentials("ancien"))

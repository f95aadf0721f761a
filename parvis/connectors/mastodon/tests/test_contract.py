"""The connector contract through `publish`, and what publishing sends to Mastodon."""

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs

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
    ConnectorError,
    Rejected,
    Unavailable,
)
from parvis.connectors.mastodon import connector as connector_module
from parvis.connectors.mastodon.connector import MastodonConnector
from parvis.connectors.registry import connector_class
from parvis.connectors.testing import (
    CONTRACT_SCENARIOS,
    Router,
    contract_error,
    fixture_handler,
    fixture_response,
    scenario_handler,
    timeout,
)

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://social.saint-malo.fr"
STATUSES = r"^/api/v1/statuses$"
LINK = "https://www.saint-malo.fr/actualites/travaux-rue-de-dinan"
TEXT = (
    "Travaux rue de Dinan du 3 au 14 mars : circulation alternée entre 8 h et 17 h. "
    f"Détails : {LINK} #SaintMalo"
)
PLAN = MediaItem(
    content=b"\xff\xd8\xff\xe0JFIF",
    mime_type="image/jpeg",
    alt_text="Plan de la rue de Dinan : le tronçon en travaux est surligné en orange.",
    filename="plan-rue-de-dinan.jpg",
)


def respond(name: str):
    return fixture_handler(FIXTURES, name)


def status_numbered(number: int):
    """The documented create response, as the status of part `number`."""
    status_id = f"11408621345781234{number}"
    url = f"{BASE}/@villedesaintmalo/{status_id}"
    return fixture_response(FIXTURES, "statuses_create__success", id=status_id, url=url)


def make_connector(router: Router, **extra: str) -> MastodonConnector:
    credentials = Credentials(
        access_token="jeton-saint-malo",
        account_id="110254386145370827",
        base_url=BASE,
        extra=extra,
    )
    return MastodonConnector(credentials, http=router.client())


def draft(*parts: str, **fields) -> Draft:
    return Draft(parts=parts or (TEXT,), idempotency_key="pub-42", **fields)


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


MESSAGES = {
    "expired_token": "The access token is invalid",
    "rate_limited": "Too many requests",
    "server_error": "There was a temporary problem serving your request",
    "rejected": "Validation failed: Text can't be blank",
    "timeout": "no answer",
}


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publish_maps_every_contract_scenario_to_the_error_tree(scenario):
    router = Router().add(
        "POST", STATUSES, scenario_handler(FIXTURES, "statuses_create", scenario)
    )
    connector = make_connector(router)

    if scenario == "success":
        result = connector.publish(draft())
        assert result.remote_id == "114086213457812345"
        assert result.url == f"{BASE}/@villedesaintmalo/114086213457812345"
        return
    error = contract_error(lambda: connector.publish(draft()), scenario)
    assert MESSAGES[scenario] in error.message
    if scenario == "rate_limited":
        # No Retry-After: the reset time (09:10:00) minus the response's Date (09:06:12).
        assert error.retry_after == 228.0


def test_the_registry_serves_this_connector():
    assert connector_class("mastodon") is MastodonConnector


def test_a_status_is_sent_as_documented_with_token_and_idempotency_key():
    router = Router().add("POST", STATUSES, respond("statuses_create__success"))
    make_connector(router).publish(draft())

    [request] = router.seen
    assert str(request.url) == f"{BASE}/api/v1/statuses"
    assert request.headers["Authorization"] == "Bearer jeton-saint-malo"
    assert request.headers["Idempotency-Key"] == "pub-42"
    assert form(request) == {
        "status": [TEXT],
        "visibility": ["public"],
        "language": ["fr"],
    }


def test_rate_limit_headers_are_read_from_every_response():
    router = Router().add("POST", STATUSES, respond("statuses_create__success"))
    connector = make_connector(router)
    connector.publish(draft())
    assert connector.last_rate_limit == RateLimitState(
        remaining=297, reset_at=dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.UTC)
    )


def test_the_draft_link_is_added_for_the_card_unless_the_text_has_it():
    router = Router().add("POST", STATUSES, respond("statuses_create__success"))
    connector = make_connector(router)
    connector.publish(draft("Travaux rue de Dinan.", link=LINK))
    connector.publish(draft(TEXT, link=LINK))
    first, second = router.seen
    assert form(first)["status"] == [f"Travaux rue de Dinan.\n\n{LINK}"]
    assert form(second)["status"] == [TEXT]


def test_counting_follows_mastodon_graphemes_urls_and_mentions():
    connector = make_connector(Router())
    assert connector.count(f"Lien : {LINK}") == 7 + 23
    assert connector.count("👨‍👩‍👧‍👦 é") == 3
    # A remote mention counts only its "@user" part.
    assert connector.count("@morgane_kerleau@piaille.fr merci") == len(
        "@morgane_kerleau merci"
    )
    assert connector.max_chars() == 500


def test_the_instance_limits_from_the_channel_replace_the_defaults():
    connector = make_connector(
        Router(), max_characters="1000", characters_reserved_per_url="30"
    )
    assert connector.max_chars() == 1000
    assert connector.count(f"Lien : {LINK}") == 7 + 30
    long_text = "Conseil municipal du 12 mars. " * 20  # 600 characters
    assert make_connector(Router()).problems(draft(long_text))
    assert connector.problems(draft(long_text)) == []
    assert make_connector(Router(), max_characters="n/a").max_chars() == 500


def test_a_thread_posts_parts_in_order_each_replying_to_the_previous():
    numbers = iter(range(1, 4))
    router = Router().add("POST", STATUSES, lambda r: status_numbered(next(numbers)))
    result = make_connector(router).publish(draft("Un.", "Deux.", "Trois."))

    assert [p.remote_id for p in result.parts] == [
        "114086213457812341",
        "114086213457812342",
        "114086213457812343",
    ]
    sent = [form(request) for request in router.seen]
    assert [body["status"] for body in sent] == [["Un."], ["Deux."], ["Trois."]]
    assert "in_reply_to_id" not in sent[0]
    assert sent[1]["in_reply_to_id"] == ["114086213457812341"]
    assert sent[2]["in_reply_to_id"] == ["114086213457812342"]
    keys = [request.headers["Idempotency-Key"] for request in router.seen]
    assert keys == ["pub-42", "pub-42-2", "pub-42-3"]


def test_a_failing_second_part_stops_the_thread_and_reports_the_first():
    answers = iter(
        [status_numbered(1), fixture_response(FIXTURES, "statuses_create__rejected")]
    )
    router = Router().add("POST", STATUSES, lambda r: next(answers))

    with pytest.raises(Rejected) as caught:
        make_connector(router).publish(draft("Un.", "Deux.", "Trois."))

    assert caught.value.message == "partie 2/3 : Validation failed: Text can't be blank"
    assert caught.value.published_parts == (
        PublishedPart(
            "114086213457812341", f"{BASE}/@villedesaintmalo/114086213457812341"
        ),
    )
    assert len(router.seen) == 2


def test_a_timeout_on_the_second_part_may_have_sent_it_and_reports_the_first():
    answers = iter([lambda r: status_numbered(1), timeout])
    router = Router().add("POST", STATUSES, lambda r: next(answers)(r))

    with pytest.raises(Unavailable) as caught:
        make_connector(router).publish(draft("Un.", "Deux."))

    assert caught.value.maybe_sent is True
    assert caught.value.message.startswith("partie 2/2 : ")
    assert [p.remote_id for p in caught.value.published_parts] == ["114086213457812341"]


def test_an_image_is_uploaded_with_its_alt_text_then_attached():
    router = (
        Router()
        .add("POST", r"^/api/v2/media$", respond("media_create__success"))
        .add("POST", STATUSES, respond("statuses_create__with_image"))
    )
    result = make_connector(router).publish(draft("Plan des travaux.", media=(PLAN,)))

    upload, status = router.seen
    assert upload.headers["Authorization"] == "Bearer jeton-saint-malo"
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="description"' in upload.content
    assert PLAN.alt_text.encode() in upload.content
    assert b'filename="plan-rue-de-dinan.jpg"' in upload.content
    assert PLAN.content in upload.content
    assert form(status)["media_ids[]"] == ["114086213457700021"]
    assert result.remote_id == "114086213457812346"


def test_an_image_still_processing_is_awaited_before_the_status(monkeypatch):
    monkeypatch.setattr(connector_module, "sleep", lambda seconds: None)
    checks = iter(["media_get__processing", "media_get__success"])
    router = (
        Router()
        .add("POST", r"^/api/v2/media$", respond("media_create__processing"))
        .add(
            "GET",
            r"^/api/v1/media/114086213457700021$",
            lambda r: fixture_response(FIXTURES, next(checks)),
        )
        .add("POST", STATUSES, respond("statuses_create__with_image"))
    )
    make_connector(router).publish(draft("Plan des travaux.", media=(PLAN,)))
    assert [r.method for r in router.seen] == ["POST", "GET", "GET", "POST"]


def test_an_image_that_never_finishes_fails_before_any_status(monkeypatch):
    monkeypatch.setattr(connector_module, "sleep", lambda seconds: None)
    router = (
        Router()
        .add("POST", r"^/api/v2/media$", respond("media_create__processing"))
        .add("GET", r"^/api/v1/media/", respond("media_get__processing"))
    )
    with pytest.raises(Unavailable) as caught:
        make_connector(router).publish(draft("Plan.", media=(PLAN,)))
    assert caught.value.maybe_sent is False
    assert caught.value.message.startswith("image 1/1 : ")
    assert caught.value.published_parts == ()
    assert not router.requests_to(STATUSES)


def test_an_upload_timeout_is_not_a_status_maybe_sent():
    router = Router().add("POST", r"^/api/v2/media$", timeout)
    with pytest.raises(Unavailable) as caught:
        make_connector(router).publish(draft("Plan.", media=(PLAN,)))
    assert caught.value.maybe_sent is False


def test_a_refused_image_is_named_and_no_status_is_sent():
    router = Router().add("POST", r"^/api/v2/media$", respond("media_create__rejected"))
    with pytest.raises(Rejected) as caught:
        make_connector(router).publish(draft("Plan.", media=(PLAN, PLAN)))
    assert caught.value.message == (
        "image 1/2 : Validation failed: File content type is invalid, File is invalid"
    )
    assert len(router.seen) == 1


def test_what_does_not_fit_is_refused_in_french_before_any_request():
    router = Router()
    connector = make_connector(router)
    no_alt = MediaItem(b"x", "image/png", alt_text="")
    with pytest.raises(ConnectorError) as caught:
        connector.publish(draft("Plan.", media=(no_alt,), first_comment="Merci !"))
    assert "texte alternatif" in caught.value.message
    assert "premier commentaire" in caught.value.message
    assert router.seen == []

"""The connector contract through `publish`, and what publishing sends to a PDS, on
recorded XRPC payloads (the real PDS is in test_real_pds.py)."""

import datetime as dt
import io
import json
import re
from pathlib import Path

import httpx
import pytest
from PIL import Image

from parvis.connectors.base import (
    Credentials,
    Draft,
    MediaItem,
    PublishedPart,
    RateLimitState,
)
from parvis.connectors.bluesky import parse
from parvis.connectors.bluesky.connector import BlueskyConnector
from parvis.connectors.errors import (
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
)
from parvis.connectors.registry import connector_class
from parvis.connectors.testing import (
    CONTRACT_SCENARIOS,
    Router,
    contract_error,
    fixture_handler,
    fixture_response,
    load_fixture,
    scenario_handler,
    timeout,
)

FIXTURES = Path(__file__).parent / "fixtures"
PDS = "https://amanita.us-east.host.bsky.network"
DID = "did:plc:3kbxn7wqzfrlv6e5uhlbvq2m"
CREATE = r"/xrpc/com\.atproto\.repo\.createRecord$"
GET = r"/xrpc/com\.atproto\.repo\.getRecord$"
UPLOAD = r"/xrpc/com\.atproto\.repo\.uploadBlob$"
RESOLVE = r"/xrpc/com\.atproto\.identity\.resolveHandle$"
LINK = "https://www.saint-malo.fr/actualites/travaux-rue-de-dinan"
TEXT = (
    "Travaux rue de Dinan du 3 au 14 mars : circulation alternée entre 8 h et 17 h. "
    f"Détails : {LINK} #SaintMalo"
)
RKEY = "2vgc7hcwlp5wn"  # parse.record_key("pub-42", 0), as in the fixtures
POST_URI = f"at://{DID}/app.bsky.feed.post/{RKEY}"
TID = re.compile(r"^[234567a-j][234567a-z]{12}$")


def respond(name: str):
    return fixture_handler(FIXTURES, name)


def created_at_requested_key(request: httpx.Request) -> httpx.Response:
    """The documented createRecord answer, for the record key the request asked."""
    rkey = json.loads(request.content)["rkey"]
    return fixture_response(
        FIXTURES,
        "createRecord__success",
        uri=f"at://{DID}/app.bsky.feed.post/{rkey}",
        cid=f"bafyreicid{rkey}",
    )


def make_connector(router: Router) -> BlueskyConnector:
    credentials = Credentials(
        access_token="jeton-acces",
        account_id=DID,
        refresh_token="jeton-renouvellement",
        base_url=PDS,
    )
    return BlueskyConnector(credentials, http=router.client())


def draft(*parts: str, **fields) -> Draft:
    return Draft(parts=parts or (TEXT,), idempotency_key="pub-42", **fields)


def sent(request: httpx.Request) -> dict:
    return json.loads(request.content)


def jpeg(width: int = 120, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 94, 184)).save(buffer, format="JPEG")
    return buffer.getvalue()


PLAN = MediaItem(
    content=jpeg(),
    mime_type="image/jpeg",
    alt_text="Plan de la rue de Dinan : le tronçon en travaux est surligné en orange.",
    filename="plan-rue-de-dinan.jpg",
)

MESSAGES = {
    "expired_token": "Token has expired",
    "rate_limited": "Rate Limit Exceeded",
    "server_error": "Internal Server Error",
    "rejected": "grapheme too big (maximum 300, got 312)",
    "timeout": "no answer",
}


@pytest.mark.parametrize("scenario", CONTRACT_SCENARIOS)
def test_publish_maps_every_contract_scenario_to_the_error_tree(scenario):
    handler = scenario_handler(FIXTURES, "createRecord", scenario)
    router = Router().add("POST", CREATE, handler)
    router.add("GET", GET, respond("getRecord__not_found"))
    connector = make_connector(router)

    if scenario == "success":
        result = connector.publish(draft())
        assert result.remote_id == POST_URI
        assert result.url == f"https://bsky.app/profile/{DID}/post/{RKEY}"
        return
    error = contract_error(lambda: connector.publish(draft()), scenario)
    assert MESSAGES[scenario] in error.message
    if scenario == "expired_token":
        assert error.network_code == "ExpiredToken"
    if scenario == "rate_limited":
        assert error.retry_after == 1287.0
    # Only a refused create asks whether the record key is already taken.
    probed = scenario in {"server_error", "rejected"}
    assert bool(router.requests_to(GET)) is probed


def test_the_registry_serves_this_connector():
    assert connector_class("bluesky") is BlueskyConnector
    assert BlueskyConnector.honours_idempotency_key is True


def test_a_post_is_sent_as_documented_with_its_record_key_and_byte_facets():
    router = Router().add("POST", CREATE, respond("createRecord__success"))
    make_connector(router).publish(draft())

    [request] = router.seen
    assert str(request.url) == f"{PDS}/xrpc/com.atproto.repo.createRecord"
    assert request.headers["Authorization"] == "Bearer jeton-acces"
    body = sent(request)
    assert (body["repo"], body["collection"], body["rkey"]) == (
        DID,
        "app.bsky.feed.post",
        RKEY,
    )
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == TEXT
    assert record["langs"] == ["fr"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["createdAt"])
    # "alternée" and "Détails" put two 2-byte characters before the link.
    link_start = TEXT.index(LINK) + 2
    tag_start = TEXT.index("#SaintMalo") + 2
    assert record["facets"] == [
        {
            "index": {"byteStart": link_start, "byteEnd": link_start + len(LINK)},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}],
        },
        {
            "index": {"byteStart": tag_start, "byteEnd": tag_start + 10},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "SaintMalo"}],
        },
    ]
    assert "embed" not in record and "reply" not in record


def test_the_record_key_is_a_tid_fixed_by_the_idempotency_key_and_the_part():
    keys = {
        parse.record_key(key, part) for key in ("pub-42", "pub-43") for part in (0, 1)
    }
    assert len(keys) == 4
    assert parse.record_key("pub-42", 0) == RKEY
    for key in keys:
        assert TID.match(key)
        micros = (
            sum(
                parse.TID_ALPHABET.index(char) << (5 * (12 - i))
                for i, char in enumerate(key)
            )
            >> 10
        )
        # In the window before Bluesky existed: never a clock's TID, never the future.
        moment = dt.datetime.fromtimestamp(micros / 1_000_000, dt.UTC)
        assert dt.datetime(2000, 1, 1, tzinfo=dt.UTC) <= moment
        assert moment < dt.datetime(2003, 1, 1, tzinfo=dt.UTC)
    assert parse.tid(0, 0) == "2222222222222"


def test_publishing_again_returns_the_post_already_at_its_record_key():
    router = Router().add("POST", CREATE, respond("createRecord__record_key_taken"))
    router.add("GET", GET, respond("getRecord__success"))

    result = make_connector(router).publish(draft())

    assert result.remote_id == POST_URI
    [probe] = router.requests_to(GET)
    assert dict(probe.url.params) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": RKEY,
    }


def test_mentions_become_facets_with_the_did_and_unknown_handles_stay_text():
    answers = {
        "office-tourisme.bsky.social": "resolveHandle__success",
        "inconnu.bsky.social": "resolveHandle__not_found",
    }
    router = Router().add(
        "GET",
        RESOLVE,
        lambda r: fixture_response(FIXTURES, answers[r.url.params["handle"]]),
    )
    router.add("POST", CREATE, respond("createRecord__success"))
    text = (
        "🎶 Merci @Office-Tourisme.bsky.social et @inconnu.bsky.social ! "
        "Écrivez à contact@saint-malo.fr"
    )
    make_connector(router).publish(draft(text))

    [facet] = sent(router.requests_to(CREATE)[0])["record"]["facets"]
    covered = text.encode()[facet["index"]["byteStart"] : facet["index"]["byteEnd"]]
    assert covered.decode() == "@Office-Tourisme.bsky.social"
    assert facet["features"] == [
        {
            "$type": "app.bsky.richtext.facet#mention",
            "did": "did:plc:wqf5nkrt2dbx4vyl7mkoa3hc",
        }
    ]
    assert len(router.requests_to(RESOLVE)) == 2  # the e-mail address is no mention


def test_hashtags_and_mentions_inside_a_link_are_part_of_the_link():
    link = "https://www.saint-malo.fr/agenda#@ete.bsky.social"
    found = parse.facets(f"Agenda : {link} #Été", lambda handle: "did:plc:x")
    kinds = [facet["features"][0]["$type"].split("#")[1] for facet in found]
    assert kinds == ["link", "tag"]
    assert found[1]["features"][0]["tag"] == "Été"


def test_counting_is_in_graphemes_up_to_300():
    connector = make_connector(Router())
    assert connector.count("👨‍👩‍👧‍👦 é") == 3
    assert connector.count(f"Lien : {LINK}") == 7 + len(LINK)  # a link counts whole
    assert connector.max_chars() == 300
    assert connector.problems(draft("é" * 300)) == []
    assert "301 caractères" in connector.problems(draft("é" * 301))[0]
    # 300 families are 300 graphemes but 7,500 bytes, over the lexicon's 3,000.
    families = "👨‍👩‍👧‍👦" * 300
    assert connector.count(families) == 300
    assert connector.problems(draft(families)) == [
        "Le message est trop long pour Bluesky (3000 octets au plus)."
    ]


def test_a_thread_posts_parts_in_order_each_replying_to_the_previous():
    router = Router().add("POST", CREATE, created_at_requested_key)
    result = make_connector(router).publish(draft("Un. 1/3", "Deux. 2/3", "Trois. 3/3"))

    bodies = [sent(request) for request in router.seen]
    keys = [parse.record_key("pub-42", part) for part in range(3)]
    assert [body["rkey"] for body in bodies] == keys
    assert [body["record"]["text"] for body in bodies] == [
        "Un. 1/3",
        "Deux. 2/3",
        "Trois. 3/3",
    ]
    refs = [
        {"uri": f"at://{DID}/app.bsky.feed.post/{key}", "cid": f"bafyreicid{key}"}
        for key in keys
    ]
    assert "reply" not in bodies[0]["record"]
    assert bodies[1]["record"]["reply"] == {"root": refs[0], "parent": refs[0]}
    assert bodies[2]["record"]["reply"] == {"root": refs[0], "parent": refs[1]}
    assert [part.remote_id for part in result.parts] == [ref["uri"] for ref in refs]


def test_a_failing_second_part_stops_the_thread_and_reports_the_first():
    answers = iter([created_at_requested_key, respond("createRecord__rejected")])
    router = Router().add("POST", CREATE, lambda r: next(answers)(r))
    router.add("GET", GET, respond("getRecord__not_found"))

    with pytest.raises(Rejected) as caught:
        make_connector(router).publish(draft("Un.", "Deux.", "Trois."))

    assert caught.value.message == (
        "partie 2/3 : Invalid app.bsky.feed.post record: "
        "grapheme too big (maximum 300, got 312) at $.record.text"
    )
    first = parse.record_key("pub-42", 0)
    assert caught.value.published_parts == (
        PublishedPart(
            f"at://{DID}/app.bsky.feed.post/{first}",
            f"https://bsky.app/profile/{DID}/post/{first}",
        ),
    )
    assert len(router.requests_to(CREATE)) == 2


def test_a_timeout_on_the_second_part_may_have_sent_it_and_reports_the_first():
    answers = iter([created_at_requested_key, timeout])
    router = Router().add("POST", CREATE, lambda r: next(answers)(r))

    with pytest.raises(Unavailable) as caught:
        make_connector(router).publish(draft("Un.", "Deux."))

    assert caught.value.maybe_sent is True
    assert caught.value.message.startswith("partie 2/2 : ")
    assert len(caught.value.published_parts) == 1
    assert not router.requests_to(GET)


def test_an_image_is_uploaded_as_a_blob_then_embedded_with_its_alt_text():
    router = Router().add("POST", UPLOAD, respond("uploadBlob__success"))
    router.add("POST", CREATE, respond("createRecord__success"))
    make_connector(router).publish(draft("Plan des travaux.", media=(PLAN,)))

    upload, create = router.seen
    assert str(upload.url) == f"{PDS}/xrpc/com.atproto.repo.uploadBlob"
    assert upload.headers["Content-Type"] == "image/jpeg"
    assert upload.headers["Authorization"] == "Bearer jeton-acces"
    assert upload.content == PLAN.content
    blob = load_fixture(FIXTURES, "uploadBlob__success")["body"]["blob"]
    assert sent(create)["record"]["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [
            {
                "alt": PLAN.alt_text,
                "image": blob,
                "aspectRatio": {"width": 120, "height": 80},
            }
        ],
    }


def test_a_refused_image_is_named_and_no_post_is_created():
    router = Router().add("POST", UPLOAD, respond("uploadBlob__rejected"))
    with pytest.raises(Rejected) as caught:
        make_connector(router).publish(draft("Plan.", media=(PLAN, PLAN)))
    assert caught.value.message == "image 1/2 : request entity too large"
    assert caught.value.published_parts == ()
    assert not router.requests_to(CREATE)


def test_an_upload_timeout_is_not_a_post_maybe_sent():
    router = Router().add("POST", UPLOAD, timeout)
    with pytest.raises(Unavailable) as caught:
        make_connector(router).publish(draft("Plan.", media=(PLAN,)))
    assert caught.value.maybe_sent is False
    assert caught.value.message.startswith("image 1/1 : ")


def test_the_draft_link_becomes_a_link_card_when_there_is_no_image():
    router = Router().add("POST", CREATE, respond("createRecord__success"))
    make_connector(router).publish(draft("Travaux rue de Dinan.", link=LINK))
    assert sent(router.seen[0])["record"]["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {"uri": LINK, "title": "www.saint-malo.fr", "description": ""},
    }


def test_what_does_not_fit_is_refused_in_french_before_any_request():
    router = Router()
    no_alt = MediaItem(b"x", "image/png", alt_text="")
    with pytest.raises(ConnectorError) as caught:
        make_connector(router).publish(
            draft("Plan.", media=(no_alt,), first_comment="Merci !")
        )
    assert "texte alternatif" in caught.value.message
    assert "premier commentaire" in caught.value.message
    assert router.seen == []


def test_delete_removes_the_record_named_by_the_at_uri():
    router = Router().add(
        "POST",
        r"/xrpc/com\.atproto\.repo\.deleteRecord$",
        respond("deleteRecord__success"),
    )
    make_connector(router).delete(POST_URI)
    [request] = router.seen
    assert request.headers["Authorization"] == "Bearer jeton-acces"
    assert sent(request) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": RKEY,
    }


def test_recent_posts_lists_the_post_records_of_the_repository():
    router = Router().add(
        "GET",
        r"/xrpc/com\.atproto\.repo\.listRecords$",
        respond("listRecords__success"),
    )
    posts = make_connector(router).recent_posts(limit=500)

    assert dict(router.seen[0].url.params) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "limit": "100",
    }
    assert [post.remote_id for post in posts][1] == POST_URI
    assert posts[1].text == TEXT
    assert posts[0].created_at == dt.datetime(
        2026, 5, 4, 9, 30, 12, 981000, tzinfo=dt.UTC
    )


def test_find_published_looks_the_post_up_by_its_record_key():
    router = Router().add("GET", GET, respond("getRecord__success"))
    found = make_connector(router).find_published(draft())
    assert found is not None and found.remote_id == POST_URI
    assert router.seen[0].url.params["rkey"] == RKEY

    missing = Router().add("GET", GET, respond("getRecord__not_found"))
    assert make_connector(missing).find_published(draft()) is None


def test_a_thread_counts_as_published_only_once_its_last_part_is_there():
    thread = draft("Un.", "Deux.", "Trois.")
    last_key = parse.record_key("pub-42", 2)
    router = Router().add("GET", GET, respond("getRecord__not_found"))
    assert make_connector(router).find_published(thread) is None
    assert [r.url.params["rkey"] for r in router.seen] == [last_key]

    router = Router().add("GET", GET, respond("getRecord__success"))
    found = make_connector(router).find_published(thread)
    assert found is not None and found.remote_id == POST_URI
    assert [r.url.params["rkey"] for r in router.seen] == [last_key, RKEY]


def test_rate_limit_headers_are_read_from_every_response():
    router = Router().add("POST", CREATE, respond("createRecord__success"))
    connector = make_connector(router)
    connector.publish(draft())
    assert connector.last_rate_limit == RateLimitState(
        remaining=4987, reset_at=dt.datetime.fromtimestamp(1777885200, dt.UTC)
    )


def test_without_retry_after_the_wait_runs_to_the_ratelimit_reset():
    reset = int(dt.datetime.now(dt.UTC).timestamp()) + 120
    body = load_fixture(FIXTURES, "createRecord__rate_limited")["body"]
    answer = httpx.Response(
        429,
        headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)},
        json=body,
    )
    router = Router().reply("POST", CREATE, answer)
    with pytest.raises(RateLimited) as caught:
        make_connector(router).publish(draft())
    assert 110 <= caught.value.retry_after <= 121

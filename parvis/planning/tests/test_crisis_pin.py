"""The alert goes out through the publishing engine, then is pinned where the network
allows; a refusal is recorded and shown, never a failed publication; the lift
unpins it."""

from dataclasses import dataclass, field

import pytest

from parvis.connectors.base import Capability
from parvis.connectors.errors import Rejected
from parvis.planning import services
from parvis.planning.selectors_crisis import alert_publications
from parvis.planning.tasks import pin_crisis_alert, unpin_crisis_alert
from parvis.planning.tests.crisis_helpers import (
    ALERT,
    connect,
    connected_channels,
    scheduled,
)
from parvis.publishing.engine import publication_publish, publications_dispatch
from parvis.publishing.models import Publication, PublicationState
from parvis.publishing.tests.conftest import FakeAccount, FakeConnector
from parvis.studio.models import PostState
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db
P = PublicationState


@pytest.fixture
def channels(commune, admin_user):
    return connected_channels(commune, admin_user)


@dataclass
class PinningAccount(FakeAccount):
    pinned: list[str] = field(default_factory=list)
    refuse_pin: bool = False


class PinningConnector(FakeConnector):
    capabilities = FakeConnector.capabilities | {Capability.PIN}

    def pin(self, remote_id: str) -> None:
        if self.account.refuse_pin:
            raise Rejected("Validation failed: You have already pinned the maximum")
        self.account.pinned.append(remote_id)

    def unpin(self, remote_id: str) -> None:
        self.account.pinned.remove(remote_id)


@pytest.fixture
def account(monkeypatch):
    account = PinningAccount()
    monkeypatch.setattr(
        "parvis.publishing.engine.connector_for",
        lambda channel: PinningConnector(account),
    )
    return account


@pytest.fixture
def crisis(commune, validator, channels):
    return services.crisis_start(
        authority=commune, actor=validator, title="Crue", message=ALERT
    )


def alert_ids(crisis):
    return list(
        Publication.objects.filter(variant__post=crisis.alert_post)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def enqueued(callbacks, task):
    return [
        c.args[0]
        for c in callbacks
        if getattr(getattr(c, "func", None), "__self__", None) is task
    ]


def publish_all(ids, capture):
    """Run the engine on `ids`; the ids the pin task was enqueued for."""
    publications_dispatch()
    with capture() as callbacks:
        for publication_id in ids:
            assert publication_publish(publication_id=publication_id, worker="w") == (
                "published"
            )
    return enqueued(callbacks, pin_crisis_alert)


def test_each_published_alert_is_pinned_once_committed(
    crisis, account, django_capture_on_commit_callbacks
):
    ids = alert_ids(crisis)
    assert publish_all(ids, django_capture_on_commit_callbacks) == ids

    for publication_id in ids:
        assert pin_crisis_alert.call(publication_id) == "pinned"
        assert pin_crisis_alert.call(publication_id) == "skipped"  # once is enough
    assert sorted(account.pinned) == sorted(
        Publication.objects.filter(pk__in=ids).values_list("remote_id", flat=True)
    )
    crisis.alert_post.refresh_from_db()
    assert crisis.alert_post.state == PostState.PUBLISHED
    rows = alert_publications(crisis=crisis)
    assert {row.pin_action for row in rows} == {"crisis.pin"}


def test_a_refused_pin_is_recorded_and_the_publication_stays_published(
    crisis, account, django_capture_on_commit_callbacks
):
    account.refuse_pin = True
    [first, *_] = ids = alert_ids(crisis)
    publish_all(ids, django_capture_on_commit_callbacks)

    assert pin_crisis_alert.call(first) == "failed"
    assert Publication.objects.get(pk=first).state == P.PUBLISHED
    event = AuditEvent.objects.get(action="crisis.pin_failed", target_id=str(first))
    assert "maximum" in event.summary
    [row] = [r for r in alert_publications(crisis=crisis) if r.publication.pk == first]
    assert row.pin_failed

    # Asked again from the crisis page, it is tried again.
    account.refuse_pin = False
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.crisis_alert_pin_again(crisis=crisis, actor=crisis.started_by)
    assert first in enqueued(callbacks, pin_crisis_alert)
    assert pin_crisis_alert.call(first) == "pinned"


def test_ordinary_posts_and_networks_without_pinning_enqueue_nothing(
    commune,
    validator,
    admin_user,
    channels,
    account,
    django_capture_on_commit_callbacks,
):
    import datetime as dt

    from django.utils import timezone

    facebook = connect(commune, "facebook", "Ville de Saint-Malo", admin_user)
    ordinary = scheduled(
        commune, channels["mastodon"], timezone.now() - dt.timedelta(seconds=1)
    )
    assert publish_all([ordinary.pk], django_capture_on_commit_callbacks) == []

    crisis = services.crisis_start(
        authority=commune,
        actor=validator,
        title="Crue",
        message=ALERT,
        channels=[facebook],
    )
    [alert] = alert_ids(crisis)
    assert publish_all([alert], django_capture_on_commit_callbacks) == []
    [row] = alert_publications(crisis=crisis)
    assert not row.pins


def test_an_alert_published_after_the_lift_is_not_pinned(
    crisis, account, validator, django_capture_on_commit_callbacks
):
    ids = alert_ids(crisis)
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    publish_all(ids, django_capture_on_commit_callbacks)
    assert [pin_crisis_alert.call(i) for i in ids] == ["skipped"] * len(ids)
    assert account.pinned == []


def test_the_lift_unpins_what_was_pinned(
    crisis, account, validator, django_capture_on_commit_callbacks
):
    ids = alert_ids(crisis)
    publish_all(ids, django_capture_on_commit_callbacks)
    for publication_id in ids:
        pin_crisis_alert.call(publication_id)

    with django_capture_on_commit_callbacks() as callbacks:
        services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    assert sorted(enqueued(callbacks, unpin_crisis_alert)) == ids
    assert [unpin_crisis_alert.call(i) for i in ids] == ["unpinned"] * len(ids)
    assert account.pinned == []
    assert [unpin_crisis_alert.call(i) for i in ids] == ["skipped"] * len(ids)
    # The alert itself stays online.
    assert set(
        Publication.objects.filter(pk__in=ids).values_list("state", flat=True)
    ) == {P.PUBLISHED}

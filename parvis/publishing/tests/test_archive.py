"""The public archive is written by the engine, once per publication, as a copy."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from parvis.connectors.errors import Rejected
from parvis.planning.models import Campaign
from parvis.publishing.archive import archive_record
from parvis.publishing.engine import (
    publication_publish,
    publication_reconcile,
    publications_dispatch,
)
from parvis.publishing.models import ArchiveEntry, Publication, PublicationState
from parvis.publishing.services import publication_schedule, publication_unpublish
from parvis.publishing.tests.conftest import FakeConnector

pytestmark = pytest.mark.django_db
State = PublicationState


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "#1f4e79").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def publication(variant, channel, editor, due_now):
    return publication_schedule(
        variant=variant, channel=channel, scheduled_at=due_now, actor=editor
    )


def publish(publication):
    publications_dispatch()
    return publication_publish(publication_id=publication.pk, worker="w")


def test_a_published_publication_is_archived_as_it_went_out(
    publication, variant, account, commune
):
    campaign = Campaign.objects.create(
        authority=commune,
        name="Travaux d'été",
        slug="travaux",
        objective="information_service",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 9, 1),
    )
    variant.post.campaign = campaign
    variant.post.save(update_fields=["campaign"])
    variant.link = "https://www.saint-malo.example/travaux"
    variant.save(update_fields=["link"])

    assert publish(publication) == State.PUBLISHED
    publication.refresh_from_db()
    entry = ArchiveEntry.objects.get()
    assert entry.publication == publication
    assert entry.authority == commune
    assert entry.network == "mastodon"
    assert entry.channel_name == "Mastodon @ville@social.example"
    assert entry.title == "Travaux"
    assert entry.parts == [
        "Travaux rue de Dinan du 3 au 7 mars : circulation alternée."
    ]
    assert entry.link == "https://www.saint-malo.example/travaux"
    assert entry.remote_url == "https://social.example/@ville/1"
    assert entry.campaign_name == "Travaux d'été"
    assert entry.published_at == publication.published_at
    assert entry.withdrawn_at is None


def test_a_publication_reconciled_twice_is_archived_once(publication, account):
    account.script = ["sent-then-timeout"]
    assert publish(publication) == State.UNKNOWN
    assert not ArchiveEntry.objects.exists()
    Publication.objects.filter(pk=publication.pk).update(
        sent_at=timezone.now() - dt.timedelta(minutes=2),
        next_attempt_at=timezone.now(),
    )
    assert publication_reconcile(publication_id=publication.pk) == State.PUBLISHED
    assert publication_reconcile(publication_id=publication.pk) == "skipped"
    publication.refresh_from_db()
    first = ArchiveEntry.objects.get()
    assert archive_record(publication=publication) == first
    assert ArchiveEntry.objects.count() == 1
    assert first.remote_url == "https://social.example/@ville/1"


def test_a_failed_publication_is_not_archived(publication, account):
    account.script = [Rejected("422 text too long", status=422)]
    assert publish(publication) == State.FAILED
    assert not ArchiveEntry.objects.exists()


def test_the_image_is_copied_and_later_edits_change_nothing(
    publication, variant, account
):
    variant.image.save("affiche.png", ContentFile(png_bytes()), save=False)
    variant.image_alt = "Plan de la déviation rue de Dinan"
    variant.save(update_fields=["image", "image_alt"])
    original = variant.image.name

    publish(publication)
    entry = ArchiveEntry.objects.get()
    assert entry.image.name != original
    assert entry.image.name.startswith("archive/")
    with entry.image.open("rb") as handle:
        assert handle.read() == png_bytes()
    assert entry.image_alt == "Plan de la déviation rue de Dinan"

    variant.parts = ["Texte corrigé après coup."]
    variant.image_alt = "Autre description"
    variant.image.delete(save=False)
    variant.save(update_fields=["parts", "image", "image_alt"])
    variant.post.title = "Nouveau titre"
    variant.post.save(update_fields=["title"])

    entry.refresh_from_db()
    assert entry.parts == [
        "Travaux rue de Dinan du 3 au 7 mars : circulation alternée."
    ]
    assert entry.title == "Travaux"
    assert entry.image_alt == "Plan de la déviation rue de Dinan"
    assert entry.image.storage.exists(entry.image.name)


def test_an_unreadable_image_does_not_stop_the_publication_being_recorded(
    publication, variant, account, monkeypatch
):
    variant.image.save("affiche.png", ContentFile(png_bytes()), save=False)
    variant.save(update_fields=["image"])
    send = FakeConnector.publish

    def send_then_lose_the_file(connector, draft):
        result = send(connector, draft)
        variant.image.storage.delete(variant.image.name)
        return result

    monkeypatch.setattr(FakeConnector, "publish", send_then_lose_the_file)
    assert publish(publication) == State.PUBLISHED
    entry = ArchiveEntry.objects.get()
    assert not entry.image
    assert entry.parts


def test_a_publication_withdrawn_from_the_network_stays_archived_and_dated(
    publication, account, editor
):
    publish(publication)
    publication.refresh_from_db()
    publication_unpublish(publication=publication, actor=editor)
    entry = ArchiveEntry.objects.get()
    assert entry.withdrawn_at is not None
    assert entry.parts
    assert account.posts == []


def test_the_archive_outlives_the_deleted_publication(publication, account):
    publish(publication)
    Publication.objects.filter(pk=publication.pk).delete()
    entry = ArchiveEntry.objects.get()
    assert entry.publication is None
    assert entry.channel_name == "Mastodon @ville@social.example"

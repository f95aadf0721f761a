"""The demo's generated figures: past publications with their milestones, 60 days
of followers, only the counters each network gives, a visible gap, never polled."""

import datetime as dt

import pytest
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.channels.followers import channels_followers_enqueue
from parvis.channels.models import ChannelStatus, FollowerSnapshot
from parvis.publishing.models import ArchiveEntry, MetricSnapshot, Publication
from parvis.web.demo_measurements import (
    DEMO_PUBLISHED,
    FOLLOWER_DAYS,
    demo_measurements_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_figures(commune):
    from conftest import make_user

    editor = make_user("redaction@parvis.demo")
    membership_set(authority=commune, user=editor, role=Role.EDITOR, actor=None)
    demo_measurements_load(commune)
    return commune


def figures():
    return list(
        MetricSnapshot.objects.order_by("id").values_list(
            "publication__channel__network",
            "milestone",
            "impressions",
            "reach",
            "reactions",
            "clicks",
            "video_views",
            "error",
        )
    )


def test_demo_publications_have_their_milestones_and_archive(demo_figures):
    publications = Publication.objects.filter(authority=demo_figures)
    assert publications.count() == sum(len(item["networks"]) for item in DEMO_PUBLISHED)
    assert ArchiveEntry.objects.filter(authority=demo_figures).count() == (
        publications.count()
    )
    now = timezone.now()
    for publication in publications:
        milestones = set(publication.metrics.values_list("milestone", flat=True))
        age = now - publication.published_at
        assert ("30d" in milestones) == (age > dt.timedelta(days=30, minutes=15))
        assert "1h" in milestones


def test_demo_counters_are_only_those_each_network_gives(demo_figures):
    for (
        network,
        milestone,
        impressions,
        reach,
        reactions,
        clicks,
        views,
        error,
    ) in figures():
        assert views is None
        if error:
            assert (impressions, reach, reactions) == (None, None, None)
            continue
        assert reactions is not None
        if network in {"mastodon", "bluesky"}:
            assert (impressions, reach, clicks) == (None, None, None)
        if network == "x":
            assert reach is None
            assert (clicks is None) == (milestone == "30d")


def test_demo_figures_are_the_same_at_every_load(demo_figures, other_authority):
    first = figures()
    MetricSnapshot.objects.all().delete()
    Publication.objects.all().delete()
    from parvis.channels.models import Channel

    Channel.objects.all().delete()
    demo_measurements_load(demo_figures)
    assert [row[1:] for row in figures()] == [row[1:] for row in first]


def test_demo_followers_cover_60_days_with_one_visible_gap(demo_figures):
    snapshots = FollowerSnapshot.objects.filter(channel__authority=demo_figures)
    assert snapshots.filter(channel__network="facebook").count() == FOLLOWER_DAYS
    [gap] = snapshots.exclude(error="")
    assert gap.followers is None and gap.channel.network == "x"


def test_demo_accounts_are_never_polled(
    demo_figures, django_capture_on_commit_callbacks
):
    assert set(demo_figures.channels.values_list("status", flat=True)) == {
        ChannelStatus.DISCONNECTED
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert channels_followers_enqueue() == 0

"""Publications with their counters, for the insights' tests."""

import datetime as dt

from parvis.channels.models import Channel
from parvis.publishing.models import MetricSnapshot, Publication
from parvis.studio.models import Post, Variant

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)


def make_channel(authority, network="facebook", account_id="page-1"):
    return Channel.objects.create(
        authority=authority,
        network=network,
        account_id=account_id,
        handle=f"Ville ({network})",
        credentials_encrypted="-",
    )


def published(
    channel,
    when,
    *,
    counters=None,
    specific=None,
    campaign=None,
    audience=None,
    state="published",
    title="Travaux rue Pasteur",
):
    """One publication of `channel` at `when`, with one snapshot of `counters` (a
    dict) a day later when given; `specific` sets the studio's specificity check."""
    post = Post.objects.create(
        authority=channel.authority, title=title, state="published", campaign=campaign
    )
    checks = {} if specific is None else {"specificity": {"ok": specific, "score": 0}}
    variant = Variant.objects.create(
        post=post,
        network=channel.network,
        parts=["Message"],
        checks=checks,
        audience=audience,
    )
    publication = Publication.objects.create(
        authority=channel.authority,
        variant=variant,
        channel=channel,
        state=state,
        scheduled_at=when,
        next_attempt_at=when,
        state_changed_at=when,
        published_at=when,
    )
    if counters is not None:
        MetricSnapshot.objects.create(
            publication=publication,
            collected_at=when + dt.timedelta(days=1),
            milestone="24h",
            **counters,
        )
    return publication

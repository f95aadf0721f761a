"""Tasks of the inbox: ids in, one service call."""

from django.tasks import task

from parvis.inbox import services


@task(priority=40)
def poll_channels() -> int:
    """The scheduler's job: a read of every connected account, enqueued."""
    return services.channels_ingest_enqueue()


@task()
def ingest_channel(channel_id: int) -> str:
    return services.channel_ingest(channel_id=channel_id).summary()


@task()
def ingest_post_comments(channel_id: int, post_id: str) -> int:
    """A webhook said a post got a comment: read that post's comments."""
    return services.post_comments_ingest(channel_id=channel_id, post_id=post_id)


@task()
def send_reply(reply_id: int) -> str:
    return services.reply_deliver(reply_id=reply_id)


@task(priority=40)
def settle_replies() -> dict[str, int]:
    return services.replies_settle()


@task(priority=40)
def classify_pending() -> int:
    """Messages whose classification failed at reception, tried again."""
    return services.messages_classify_pending()


@task(priority=40)
def acknowledge_pending() -> int:
    """Receipts of form and Open311 requests whose e-mail did not go at once."""
    return services.messages_acknowledge_pending()


@task(priority=-20)
def retrain_due() -> int:
    """One training task per authority whose corrections call for a new model."""
    due = services.authorities_to_retrain()
    for authority_id in due:
        retrain_authority.enqueue(authority_id)
    return len(due)


@task(priority=-20)
def retrain_authority(authority_id: int) -> int:
    from parvis.territory.models import Authority

    authority = Authority.objects.get(pk=authority_id)
    trained = services.messages_retrain(authority=authority)
    return trained.examples if trained is not None else 0


@task(priority=20)
def detect_alerts() -> int:
    """Volume and negative-sentiment surges of every authority's last window."""
    from parvis.inbox.services.alerts import alerts_detect_all

    return alerts_detect_all()


@task(priority=-10)
def purge_expired() -> int:
    """The retention policy: personal data of messages done with, anonymised."""
    return services.messages_purge_expired()

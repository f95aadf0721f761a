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

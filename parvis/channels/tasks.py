"""Tasks of the channels app."""

from django.tasks import task

from parvis.channels.services import channels_check_expiry


@task()
def check_channel_expiry() -> dict[str, int]:
    return channels_check_expiry()


@task()
def subscribe_channel_webhooks(channel_id: int) -> str:
    from parvis.channels.services import channel_subscribe_webhooks

    return channel_subscribe_webhooks(channel_id=channel_id)


@task()
def collect_followers() -> int:
    """The scheduler's job: a read of every channel not read yet today."""
    from parvis.channels.followers import channels_followers_enqueue

    return channels_followers_enqueue()


@task()
def collect_channel_followers(channel_id: int) -> str:
    from parvis.channels.followers import channel_followers_collect

    return channel_followers_collect(channel_id=channel_id)

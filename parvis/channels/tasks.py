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

"""Tasks of planning: ids in, one service call."""

from django.tasks import task

from parvis.planning.services import crisis


@task()
def pin_crisis_alert(publication_id: int) -> str:
    return crisis.crisis_alert_pin(publication_id=publication_id)


@task()
def unpin_crisis_alert(publication_id: int) -> str:
    return crisis.crisis_alert_unpin(publication_id=publication_id)

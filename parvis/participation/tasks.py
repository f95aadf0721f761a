"""Tasks of participation."""

from django.tasks import task

from parvis.participation import services


@task(priority=10)
def collect_contributions() -> int:
    """Comments under the publications of open consultations become contributions."""
    return services.contributions_collect_all()

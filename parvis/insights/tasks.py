"""Tasks of the insights."""

from django.tasks import task


@task(priority=-10)
def read_observatory_import(observatory_import_id: int) -> None:
    from parvis.insights import services
    from parvis.insights.models import ObservatoryImport

    observatory_import = ObservatoryImport.objects.filter(
        pk=observatory_import_id
    ).first()
    if observatory_import is not None:
        services.observatory_import_read(observatory_import=observatory_import)


@task(priority=-10)
def send_monthly_reports() -> int:
    """The scheduler's job: last month's report to each authority's recipients."""
    from parvis.insights.reports import monthly_reports_send_due

    return monthly_reports_send_due()

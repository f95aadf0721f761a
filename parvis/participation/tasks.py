"""Tasks of participation."""

from django.tasks import task

from parvis.participation import services


@task(priority=10)
def collect_contributions() -> int:
    """Comments under the publications of open consultations become contributions."""
    return services.contributions_collect_all()


@task(priority=-10)
def analyse_consultation(consultation_id: int, recluster: bool = False) -> int:
    """Themes and opinion groups of one consultation, stored."""
    from parvis.participation.analysis import consultation_analyse
    from parvis.participation.models import Consultation

    consultation = Consultation.objects.get(pk=consultation_id)
    return int(
        consultation_analyse(consultation=consultation, recluster=recluster)[
            "contributions"
        ]
    )


@task(priority=-10)
def analyse_open_consultations() -> int:
    """The scheduler's job: every open consultation analysed again (new contributions
    join their themes; opinion groups follow the votes)."""
    from django.utils import timezone

    from parvis.participation.models import Consultation

    now = timezone.now()
    ids = list(
        Consultation.objects.filter(
            published=True, starts_at__lte=now, ends_at__gt=now
        ).values_list("pk", flat=True)
    )
    for consultation_id in ids:
        analyse_consultation.enqueue(consultation_id)
    return len(ids)

"""Tasks of the publishing app: ids in, one engine call."""

from django.tasks import TaskContext, task

from parvis.publishing import engine, metrics


def _worker_process(context: TaskContext) -> str:
    """The process part ("host:pid") of the id of the worker thread running us."""
    worker_ids = context.task_result.worker_ids
    return worker_ids[-1].rsplit(":", 1)[0] if worker_ids else ""


@task(takes_context=True)
def publish_publication(context: TaskContext, publication_id: int) -> str:
    return engine.publication_publish(
        publication_id=publication_id, worker=_worker_process(context)
    )


@task(takes_context=True)
def publish_channel(context: TaskContext, channel_id: int) -> int:
    return engine.channel_publish_queued(
        channel_id=channel_id, worker=_worker_process(context)
    )


@task()
def reconcile_publication(publication_id: int) -> str:
    return engine.publication_reconcile(publication_id=publication_id)


@task(priority=50)
def dispatch_publications() -> dict[str, int]:
    return engine.publications_dispatch()


@task()
def collect_metrics() -> int:
    """The scheduler's job: a read of every channel with a milestone due."""
    return metrics.publications_metrics_enqueue()


@task()
def collect_channel_metrics(channel_id: int) -> str:
    return metrics.channel_metrics_collect(channel_id=channel_id).summary()

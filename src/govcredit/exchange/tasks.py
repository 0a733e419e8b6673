"""Background jobs of the exchange (django-tasks; run by `govcredit worker` or an rq worker)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .delivery import deliver_due


@task()
def deliver_outbox() -> dict:
    """Send every due outbox event to the municipal platform (safe with several workers)."""
    return deliver_due(budget_seconds=50.0).as_dict()


@task()
def prune_task_results(days: int = 1) -> int:
    """Drop finished results of the database task queue older than ``days`` (the scheduler adds
    one delivery run every few seconds, so the table would otherwise grow without end)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted

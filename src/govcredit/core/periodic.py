"""Periodic jobs scheduled by the application itself (no system cron).

Apps register ``(task, every_seconds)`` in their ``periodic.py`` as ``JOBS``; ``govcredit serve``
runs ``run_scheduler`` (a thread ticking every second) which enqueues each task when due.

- Two schedulers (two hosts) enqueue a job once per interval, not twice: a compare-and-swap on
  ``PeriodicRun.last_enqueued_at`` decides who wins.
- On the database queue, a job whose previous run is still waiting for a worker is not enqueued
  again, so a stopped worker does not come back to a pile of identical runs.
- The jobs themselves must be safe when two workers run them at once (the outbox claims events
  with a lease, expiry does a compare-and-swap per record).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections
from django.utils import timezone

from .hooks import app_modules
from .models import PeriodicRun

logger = logging.getLogger("govcredit.scheduler")

TICK_SECONDS = 1.0


def registered_jobs() -> Iterator[tuple[Any, int]]:
    for _name, module in app_modules("periodic"):
        yield from getattr(module, "JOBS", [])


def job_name(task: Any) -> str:
    return getattr(task, "module_path", None) or str(task)


def claim(name: str, every_seconds: int, now: dt.datetime | None = None) -> bool:
    """True when this caller won the right to enqueue ``name`` now."""
    now = now or timezone.now()
    try:
        run, _ = PeriodicRun.objects.get_or_create(name=name)
    except IntegrityError:
        run = PeriodicRun.objects.get(name=name)
    if run.last_enqueued_at and now - run.last_enqueued_at < dt.timedelta(seconds=every_seconds):
        return False
    updated = PeriodicRun.objects.filter(pk=run.pk, last_enqueued_at=run.last_enqueued_at).update(
        last_enqueued_at=now
    )
    return updated == 1


def still_queued(task: Any) -> bool:
    """True when the database queue already holds a run of ``task`` that no worker has started."""
    backend = settings.TASKS.get(getattr(task, "backend", "default"), {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=job_name(task)).exists()


def tick(now: dt.datetime | None = None) -> list[str]:
    enqueued = []
    for task, every_seconds in registered_jobs():
        name = job_name(task)
        try:
            if still_queued(task):
                continue
            if claim(name, every_seconds, now):
                task.enqueue()
                enqueued.append(name)
        except Exception:  # one failing job must not stop the others
            logger.exception("could not enqueue periodic job %s", name)
    return enqueued


def run_scheduler(stop_event: threading.Event, interval: float = TICK_SECONDS) -> None:
    while not stop_event.is_set():
        close_old_connections()
        try:
            for name in tick():
                logger.debug("enqueued periodic job %s", name)
        except Exception:  # keep scheduling through a transient database error
            logger.exception("scheduler tick failed")
        stop_event.wait(interval)
    close_old_connections()

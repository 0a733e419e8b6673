"""Periodic jobs scheduled by the application itself (no system cron).

Apps register ``(task, every_seconds)`` in their ``periodic.py`` as ``JOBS``; ``govcredit serve``
runs ``run_scheduler`` which enqueues each task when due. A compare-and-swap on ``PeriodicRun``
means two schedulers (two hosts) enqueue a job once per interval, not twice.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import time

from django.apps import apps
from django.db import IntegrityError
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger("govcredit.scheduler")


def registered_jobs():
    for config in apps.get_app_configs():
        if not config.name.startswith("govcredit."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.periodic")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.periodic":
                raise
            continue
        yield from getattr(module, "JOBS", [])


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


def tick(now: dt.datetime | None = None) -> list[str]:
    enqueued = []
    for task, every_seconds in registered_jobs():
        name = f"{task.module_path}" if hasattr(task, "module_path") else str(task)
        if claim(name, every_seconds, now):
            task.enqueue()
            enqueued.append(name)
    return enqueued


def run_scheduler(stop_event, interval: float = 5.0) -> None:
    while not stop_event.is_set():
        try:
            for name in tick():
                logger.info("enqueued periodic job %s", name)
        except Exception:  # keep scheduling through a transient database error
            logger.exception("scheduler tick failed")
        stop_event.wait(interval)
        time.sleep(0)

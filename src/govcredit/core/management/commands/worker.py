"""`govcredit worker`: the background job worker for the configured task backend.

Database queue (default): django-tasks-db's ``db_worker`` on every queue; several workers are safe
(PostgreSQL: ``SKIP LOCKED``; SQLite: one writer at a time). Redis (GOVCREDIT_TASK_BACKEND=rq):
django-rq's ``rqworker`` with django-tasks-rq's job class and rq's scheduler (for deferred tasks).
"""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class QuietDbWorker(DbWorkerCommand):
    """db_worker logs two INFO lines per task at the default verbosity (every 2 s for deliveries);
    keep warnings and failures, drop the chatter unless -v 2 asks for it."""

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)


def uses_rq() -> bool:
    return settings.TASKS.get("default", {}).get("BACKEND", "").startswith("django_tasks_rq")


class Command(BaseCommand):
    help = "后台任务进程（默认使用数据库队列；GOVCREDIT_TASK_BACKEND=rq 时使用 Redis 队列）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")

    def handle(self, *args, batch=False, **options):
        if uses_rq():
            queues = settings.TASKS["default"].get("QUEUES") or list(settings.RQ_QUEUES)
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                burst=batch,
                with_scheduler=True,
            )
            return
        call_command(
            QuietDbWorker(),
            queue_name="*",
            reload=False,
            batch=batch,
            startup_delay=not batch,
            verbosity=options.get("verbosity", 1),
        )

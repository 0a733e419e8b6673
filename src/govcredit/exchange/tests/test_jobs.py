"""Background jobs: the periodic schedule, the database-queue worker and the Redis (rq) leg."""

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command

from govcredit.core import periodic
from govcredit.core.models import PeriodicRun
from govcredit.exchange.models import EventStatus, OutboxEvent
from govcredit.exchange.tasks import deliver_outbox

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_delivery_is_a_registered_periodic_job_every_few_seconds(db):
    jobs = {periodic.job_name(task): every for task, every in periodic.registered_jobs()}
    assert jobs["govcredit.exchange.tasks.deliver_outbox"] <= 3
    assert "govcredit.records.tasks.expire_records" in jobs


@pytest.mark.django_db
def test_scheduler_tick_enqueues_delivery_once_per_interval(http_exchange, make_events):
    make_events(2)
    enqueued = periodic.tick()  # ImmediateBackend in tests: the job runs right away
    assert "govcredit.exchange.tasks.deliver_outbox" in enqueued
    assert http_exchange.unique == 2
    # A second scheduler (another host) ticking at the same moment enqueues nothing.
    assert "govcredit.exchange.tasks.deliver_outbox" not in periodic.tick()
    assert PeriodicRun.objects.filter(name="govcredit.exchange.tasks.deliver_outbox").count() == 1


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_delivery_job(settings, http_exchange, make_events):
    settings.TASKS = DB_TASKS
    make_events(3)
    result = deliver_outbox.enqueue()
    # While that run waits for a worker, the scheduler does not pile up more of them.
    assert periodic.still_queued(deliver_outbox)
    assert "govcredit.exchange.tasks.deliver_outbox" not in periodic.tick()
    call_command("worker", batch=True)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["delivered"] == 3
    assert http_exchange.unique == 3
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 3
    assert not periodic.still_queued(deliver_outbox)


REDIS_URL = os.environ.get("GOVCREDIT_TEST_REDIS", "")


def _own_redis_db(url: str) -> str:
    """The CI URL with our own DB number (14), so parallel suites do not collide."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/14", parts.query, parts.fragment))


@pytest.mark.skipif(not REDIS_URL, reason="GOVCREDIT_TEST_REDIS 未设置：跳过 Redis（django-tasks-rq）测试")
@pytest.mark.django_db(transaction=True)
def test_redis_leg_enqueues_through_rq_and_an_rq_worker_runs_it(settings, tmp_path, make_events):
    import django_rq
    import redis
    from django_tasks_rq import Job
    from rq import SimpleWorker

    url = _own_redis_db(REDIS_URL)
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # Redis down: fail, never skip
    queue_name = f"govcredit-test-{uuid.uuid4().hex[:10]}"
    # "default" too: django-tasks-rq reads results through the default connection.
    settings.RQ_QUEUES = {"default": {"URL": url}, queue_name: {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue_name]}}
    settings.GOVCREDIT_EXCHANGE_URL = ""
    settings.GOVCREDIT_EXCHANGE_DIR = str(tmp_path / "gateway")
    make_events(2)
    queue = django_rq.get_queue(queue_name, job_class=Job)
    try:
        result = deliver_outbox.using(queue_name=queue_name).enqueue()
        assert result.status == "READY"
        assert queue.count == 1
        assert OutboxEvent.objects.filter(status=EventStatus.PENDING).count() == 2  # nothing ran yet
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True)
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert result.return_value["delivered"] == 2
        assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 2
        assert len(list((tmp_path / "gateway").glob("*.manifest.json"))) == 1
    finally:
        queue.empty()
        for key in queue.connection.keys(f"*{queue_name}*"):
            queue.connection.delete(key)

"""Benchmark: deliver 100,000 outbox events to a local receiver over loopback (issue 8).

Prints our delivery rate (events/s, claim → sign → POST → acknowledge in the database), the
receiver's own intake rate with no sender logic (a plain client posting the same pre-built signed
batches over one keep-alive connection), and the ratio. Bar: ≥ 2,000 events/s on 2 cores.

    .venv/bin/python benchmarks/exchange_bench.py                 # SQLite file in a temp dir
    .venv/bin/python benchmarks/exchange_bench.py --pg            # PostgreSQL govcredit_bench_exchange
    .venv/bin/python benchmarks/exchange_bench.py --events 20000  # a quicker run

The receiver (the test suite's local stand-in for the municipal platform: signature check,
de-duplication by idempotency key) runs in its own process, as the real platform would.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

KEY = "bench-exchange-key"
PG_SERVER = os.environ.get("GOVCREDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = "govcredit_bench_exchange"


def run_receiver(port_queue) -> None:
    from govcredit.exchange.tests.receiver import TestReceiver

    receiver = TestReceiver(KEY).start()
    port_queue.put(receiver.port)
    while True:
        time.sleep(3600)


def start_receiver():
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=run_receiver, args=(queue,), daemon=True)
    proc.start()
    return proc, queue.get(timeout=10)


def receiver_stats(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/stats")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--pg", action="store_true", help=f"use PostgreSQL database {PG_NAME} (created and dropped)"
    )
    args = parser.parse_args()

    # Receivers first, before Django opens any connection (they are forked).
    recv_proc, port = start_receiver()
    base_proc, base_port = start_receiver()

    tmp = Path(tempfile.mkdtemp(prefix="govcredit-bench-exchange-"))
    os.environ["GOVCREDIT_DATA_DIR"] = str(tmp)
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "b" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ["GOVCREDIT_EXCHANGE_URL"] = f"http://127.0.0.1:{port}/exchange/events"
    os.environ["GOVCREDIT_EXCHANGE_KEY"] = KEY
    os.environ.pop("GOVCREDIT_EXCHANGE_DIR", None)
    if args.pg:
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        pg_admin(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "govcredit.settings"
    os.environ["GOVCREDIT_LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import timezone

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        from govcredit.core import setup_hooks

        setup_hooks.run("load_defaults", log=lambda *_: None)
        from govcredit.accounts.models import Organisation
        from govcredit.catalog.models import CatalogItem
        from govcredit.exchange.delivery import HttpAdapter, deliver_due, dumps
        from govcredit.exchange.models import EventStatus, OutboxEvent, new_idempotency_key
        from govcredit.records.models import CreditRecord, Status
        from govcredit.subjects.models import Subject

        court = Organisation.objects.get(short_name="区法院")
        item = CatalogItem.objects.get(code="court_judgment")
        subject = Subject.objects.get(name="周村区发展和改革局")
        n = args.events
        now = timezone.now()
        today = timezone.localdate()
        with transaction.atomic():
            CreditRecord.objects.bulk_create(
                (
                    CreditRecord(
                        subject=subject,
                        item=item,
                        severity="general",
                        facts="拖欠工程款未按判决履行。",
                        document_no=f"周法民〔2026〕B{i}号",
                        decided_on=today,
                        decided_by="周村区人民法院",
                        source_unit=court,
                        status=Status.PUBLISHED,
                        published_at=now,
                    )
                    for i in range(n)
                ),
                batch_size=2000,
            )
        records = list(CreditRecord.objects.order_by("id").values_list("id", "document_no"))
        payload = {
            "subject_name": subject.name,
            "subject_kind": subject.kind,
            "subject_code": subject.uscc,
            "item": item.code,
            "item_name": item.name,
            "severity": "general",
            "facts": "拖欠工程款未按判决履行。",
            "decided_on": today.isoformat(),
            "decided_by": "周村区人民法院",
            "outcome": "责令限期履行",
            "source_unit": court.name,
            "disclosure": "public",
            "status": "published",
        }
        with transaction.atomic():
            OutboxEvent.objects.bulk_create(
                (
                    OutboxEvent(
                        idempotency_key=new_idempotency_key(),
                        event="publish",
                        record_id=rid,
                        record_version=1,
                        document_no=doc,
                        source_unit=court.name,
                        occurred_at=now,
                        payload={**payload, "document_no": doc, "id": rid, "version": 1},
                        status=EventStatus.PENDING,
                        next_attempt_at=now,
                    )
                    for rid, doc in records
                ),
                batch_size=2000,
            )
        setup_seconds = time.perf_counter() - t0
        engine = connection.vendor

        # 1. The receiver's own intake: pre-built signed batches, a plain client, no sender logic.
        wires = [e.wire() for e in OutboxEvent.objects.order_by("id")]
        bodies = [dumps({"events": wires[i : i + args.batch]}) for i in range(0, n, args.batch)]
        plain = HttpAdapter(f"http://127.0.0.1:{base_port}/exchange/events", KEY)
        t1 = time.perf_counter()
        for body in bodies:
            status, _ = plain.post(body)
            assert status == 200, status
        intake_seconds = time.perf_counter() - t1
        plain.close()
        intake_rate = n / intake_seconds

        # 2. Our delivery: claim with a lease, build + sign, POST, record the acknowledgement.
        t2 = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        stats = deliver_due(batch_size=args.batch, budget_seconds=3600)
        if os.environ.get("BENCH_PROFILE"):
            prof.disable()
            prof.dump_stats(os.environ["BENCH_PROFILE"])
        ours_seconds = time.perf_counter() - t2
        ours_rate = stats.delivered / ours_seconds
        got = receiver_stats(port)
        delivered_rows = OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count()

        print(
            f"exchange benchmark · {n:,} events · batch {args.batch} · database {engine} · {os.cpu_count()} cores"
        )
        print(f"  setup (migrate, reference data, {n:,} records + events): {setup_seconds:.1f} s")
        print(
            f"  receiver intake, plain client, pre-built batches: {intake_rate:,.0f} events/s ({intake_seconds:.2f} s)"
        )
        print(
            f"  govcredit delivery (claim, sign, POST, acknowledge): {ours_rate:,.0f} events/s ({ours_seconds:.2f} s)"
        )
        print(f"  ratio delivery / receiver intake: {ours_rate / intake_rate:.2f}")
        print(
            f"  receiver saw {got['unique']:,} unique events, {got['duplicates']} duplicates, "
            f"{got['batches']} batches; delivered rows {delivered_rows:,}"
        )
        ok = got["unique"] == n and got["duplicates"] == 0 and delivered_rows == n and ours_rate >= 2000
        print(f"  bar ≥ 2,000 events/s, every event exactly once: {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        connections.close_all()
        recv_proc.kill()
        base_proc.kill()
        if args.pg:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

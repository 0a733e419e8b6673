"""Benchmark: ``govcredit duties scan`` over 100,000 open duties on PostgreSQL (bar ≤ 10 s).

Creates its own database (``wt_kernel_bench_duties``), migrates it, loads the defaults (reference
units, the reminder ladder), gives every unit a clerk with an e-mail address and a mobile number,
COPYs ``--duties`` open duties with due dates spread from 30 days before to 30 days after the scan
date over all units, then times:

  1. the first scan (every duty that has reached a rung moves to it; one digest per unit and rung
     goes out by e-mail and SMS through the existing gateways);
  2. a second scan the same day (idempotent: nothing moves, nothing is sent).

The database is dropped at the end (``--keep`` keeps it).

    .venv/bin/python benchmarks/duties_bench.py
    .venv/bin/python benchmarks/duties_bench.py --duties 20000     # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = os.environ.get("GOVCREDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = "wt_kernel_bench_duties"
AS_OF = dt.date(2026, 6, 15)


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "x" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ.setdefault("GOVCREDIT_DATA_DIR", "/tmp/gc-kernel-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govcredit.settings")
    import django

    django.setup()


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def load(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user
    from govcredit.core import setup_hooks

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_hooks.run("load_defaults", log=lambda *_: None)
    t = step("migrate + defaults", t)
    units = list(Organisation.objects.order_by("pk"))
    for i, unit in enumerate(units):
        user = create_user(
            f"bench{i}",
            f"pw-bench-{i}-123",
            display_name=f"经办人{i}",
            memberships=[(unit, Role.CLERK, False)],
        )
        user.email = f"bench{i}@zhoucun.gov.cn"
        user.phone = f"138{i:08d}"
        user.save()
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    cols = "module, kind, object_type, object_id, key, title, unit_id, due_on, explain, status, stage, created_at, updated_at, cancel_reason"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY duties_duty ({cols}) FROM STDIN") as copy:
            for i in range(n):
                unit = units[i % len(units)]
                due = AS_OF + dt.timedelta(days=rng.randint(-30, 30))
                copy.write_row(
                    (
                        "bench",
                        "report",
                        "bench.item",
                        i + 1,
                        "",
                        f"第{i + 1}号事项报告",
                        unit.pk,
                        due,
                        f"到期日 {due:%Y-%m-%d}",
                        "open",
                        "",
                        now,
                        now,
                        "",
                    )
                )
        cursor.execute("ANALYZE duties_duty")
    step(f"COPY {n:,} open duties over {len(units)} units", t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duties", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    admin_sql(f"DROP DATABASE IF EXISTS {PG_NAME}")
    admin_sql(f"CREATE DATABASE {PG_NAME}")
    try:
        setup_django()
        print(f"duties scan benchmark: {args.duties:,} duties, PostgreSQL, as of {AS_OF}")
        load(args.duties)
        from django.core.management import call_command

        from govcredit.disputes.models import Notification
        from govcredit.duties.models import Duty

        timings = []
        for label in ("first scan", "second scan (idempotent)"):
            out = io.StringIO()
            started = time.perf_counter()
            with redirect_stdout(out):
                call_command("duties", "scan", "--as-of", AS_OF.isoformat(), stdout=out)
            elapsed = time.perf_counter() - started
            timings.append(elapsed)
            counts = out.getvalue().splitlines()[0]
            print(f"  {label}: {elapsed:.2f} s   {counts}")
        staged = Duty.objects.exclude(stage="").count()
        print(f"  duties on a rung: {staged:,}; messages queued: {Notification.objects.count():,}")
        bar = "within" if max(timings) <= 10 else "OVER"
        print(
            f"RESULT: duties scan over {args.duties:,} duties: {timings[0]:.2f} s first, {timings[1]:.2f} s again ({bar} the 10 s bar)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {PG_NAME}")


if __name__ == "__main__":
    main()

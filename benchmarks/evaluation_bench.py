"""Benchmark: ``govcredit evaluation run`` over 300 units with 1,000,000 credit records and 1,000,000
integrity events on PostgreSQL (bar ≤ 60 s), then ``recompute`` of the same run.

Creates its own database (``wt_bench_evaluation``), migrates it, loads the defaults (reference units,
catalog, the default indicator set), adds departments until there are ``--units`` evaluated units,
COPYs ``--records`` published records (all severities, public and internal, 5 % outside the period)
and ``--events`` integrity events (the indicator codes the default set reads, both polarities), then
times the run (two aggregate queries, every leaf scored, lines stored, SM3 hashes) and the recompute
(from the frozen inputs only), and checks the hash is the same.

    .venv/bin/python benchmarks/evaluation_bench.py
    .venv/bin/python benchmarks/evaluation_bench.py --records 100000 --events 100000     # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = os.environ.get("GOVCREDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = "wt_bench_evaluation"
AS_OF = dt.date(2026, 12, 31)
INDICATORS = [
    ("commitment_fulfilled_on_time", "+"),
    ("commitment_not_fulfilled", "-"),
    ("payment_days_late", "-"),
    ("commitment_report_on_time", "+"),
    ("commitment_report_late", "-"),
    ("info_request_on_time", "+"),
    ("info_request_late", "-"),
    ("proactive_item_on_time", "+"),
    ("proactive_item_late", "-"),
    ("complaint_replied_on_time", "+"),
    ("complaint_replied_late", "-"),
    ("snail_award", "-"),
    ("typical_case_published", "+"),
    ("decision_consultation_compliant", "+"),
    ("decision_consultation_compliant", "-"),
]


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "x" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ.setdefault("GOVCREDIT_DATA_DIR", "/tmp/gc-evaluation-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govcredit.settings")
    import django

    django.setup()


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def load(n_units: int, n_records: int, n_events: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from govcredit.accounts.models import Organisation
    from govcredit.catalog.models import CatalogItem
    from govcredit.core import setup_hooks
    from govcredit.evaluation.engine import units_qs
    from govcredit.subjects.models import Subject, SubjectKind

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_hooks.run("load_defaults", log=lambda *_: None)
    t = step("migrate + defaults", t)
    district = Subject.objects.get(name="周村区人民政府")
    have = units_qs().count()
    Subject.objects.bulk_create(
        [
            Subject(
                kind=SubjectKind.DEPARTMENT,
                name=f"评价测试部门{i:03d}",
                parent=district,
                division_code="370306",
            )
            for i in range(max(0, n_units - have))
        ]
    )
    units = list(units_qs().order_by("pk").values_list("pk", flat=True))
    source = Organisation.objects.get(short_name="区法院").pk
    items = list(CatalogItem.objects.filter(negative=True).values_list("pk", flat=True))
    rng = random.Random(11)
    now = dt.datetime.now(dt.UTC)
    published = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    cols = (
        "subject_id, item_id, severity, facts, document_no, decided_on, decided_by, outcome, legal_basis, "
        "disclosure, status, version, proposed_by, created_at, updated_at, review_note, end_reason, "
        "source_unit_id, published_at"
    )
    severities = ["general"] * 6 + ["major"] * 3 + ["serious"]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY records_creditrecord ({cols}) FROM STDIN") as copy:
            for i in range(n_records):
                decided = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(-18, 340))
                copy.write_row(
                    (
                        units[i % len(units)],
                        items[i % len(items)],
                        severities[i % 10],
                        "基准测试",
                        f"BENCH-{i}",
                        decided,
                        "基准测试机关",
                        "",
                        "",
                        "public" if i % 4 else "internal",
                        "published",
                        1,
                        "",
                        now,
                        now,
                        "",
                        "",
                        source,
                        published,
                    )
                )
        t = step(f"COPY {n_records:,} records over {len(units)} units", t)
        ecols = "subject_id, dimension, indicator, polarity, value, occurred_on, module, object_type, object_id, key, recorded_at"
        with raw.copy(f"COPY duties_integrityevent ({ecols}) FROM STDIN") as copy:
            for i in range(n_events):
                indicator, polarity = INDICATORS[i % len(INDICATORS)]
                copy.write_row(
                    (
                        units[rng.randrange(len(units))],
                        "守信践诺",
                        indicator,
                        polarity,
                        1,
                        dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
                        "bench",
                        "bench.item",
                        i + 1,
                        "",
                        now,
                    )
                )
        cursor.execute("ANALYZE records_creditrecord")
        cursor.execute("ANALYZE duties_integrityevent")
    step(f"COPY {n_events:,} integrity events", t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    admin_sql(f"DROP DATABASE IF EXISTS {PG_NAME}")
    admin_sql(f"CREATE DATABASE {PG_NAME}")
    try:
        setup_django()
        print(
            f"evaluation benchmark: {args.units} units, {args.records:,} records, {args.events:,} events, PostgreSQL"
        )
        load(args.units, args.records, args.events)
        from unittest import mock

        from django.core.management import call_command

        from govcredit.evaluation.models import EvaluationRun, ScoreLine

        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2027, 1, 10)):
            out = io.StringIO()
            started = time.perf_counter()
            call_command("evaluation", "run", "--period", "2026", "--as-of", AS_OF.isoformat(), stdout=out)
            run_s = time.perf_counter() - started
        print("  " + "\n  ".join(out.getvalue().splitlines()))
        run = EvaluationRun.objects.get()
        print(f"  run: {run_s:.2f} s, {run.results.count()} units, {ScoreLine.objects.count():,} score lines")
        out = io.StringIO()
        started = time.perf_counter()
        call_command("evaluation", "recompute", str(run.pk), stdout=out)
        re_s = time.perf_counter() - started
        same = "复算结果一致" in out.getvalue()
        print(f"  recompute: {re_s:.2f} s, identical={same}")
        bar = "within" if run_s <= 60 else "OVER"
        print(
            f"RESULT: evaluation run over {args.units} units, {args.records:,} records, {args.events:,} events: "
            f"{run_s:.2f} s ({bar} the 60 s bar); recompute {re_s:.2f} s, same hash={same}"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {PG_NAME}")


if __name__ == "__main__":
    main()

"""Benchmark: batch credit check of 10,000 codes against 1,000,000 records and 100,000 sanctions.

Creates its own PostgreSQL database (``govcredit_bench_checks``), migrates it, loads the default
catalog/measures/rules, generates subjects, records and sanctions with COPY, then times one batch
check of ``--codes`` inputs (half ID numbers, half USCCs, some unregistered, a few malformed):

  1. through the service (``sanctions.checks.run_check``): parse, keyed-hash lookup, set-based
     queries in chunks, judge, store the check (one row per subject, COPY) with its SM3 digest;
  2. through the API (``POST /api/v1/checks`` via Django's in-process test client, token auth,
     JSON in and out, the client decoding the answer).

Bar: ≤ 2 s each, end to end. The database is dropped at the end (``--keep`` keeps it).

    .venv/bin/python benchmarks/checks_bench.py
    .venv/bin/python benchmarks/checks_bench.py --records 200000 --sanctions 20000   # quicker
    .venv/bin/python benchmarks/checks_bench.py --keep          # then, to time again without reloading:
    .venv/bin/python benchmarks/checks_bench.py --reuse
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = os.environ.get("GOVCREDIT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = "govcredit_bench_checks"


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "x" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ.setdefault("GOVCREDIT_DATA_DIR", "/tmp/govcredit-bench-checks")
    os.environ["GOVCREDIT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govcredit.settings")
    import django

    django.setup()


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def codes_for(args) -> tuple[list[str], list[str]]:
    from govcredit.core.codes import make_id_number, make_uscc

    n_orgs = n_people = args.subjects // 2
    orgs = [make_uscc("91370306", 1_000_000 + i) for i in range(n_orgs)]
    base = dt.date(1960, 1, 1)
    people = [make_id_number("370306", base + dt.timedelta(days=i // 900), i % 900) for i in range(n_people)]
    return orgs, people


def batch_for(args, orgs: list[str], people: list[str]) -> list[str]:
    from govcredit.core.codes import make_id_number, make_uscc

    rng = random.Random(6)
    half = args.codes // 2
    codes = rng.sample(people, min(half - 100, len(people))) + rng.sample(orgs, min(half - 100, len(orgs)))
    codes += [
        make_id_number("370306", dt.date(2001, 1, 1), i) for i in range(100)
    ]  # well-formed, unregistered
    codes += [make_uscc("91370306", 90_000_000 + i) for i in range(95)]
    codes += ["BAD", "91370306MA3C5XKX4Z", "370306200101010000", "", "12345678901234567X"]
    rng.shuffle(codes)
    return codes


def load(args) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from govcredit.accounts.models import Organisation
    from govcredit.catalog.models import CatalogItem
    from govcredit.core import setup_hooks
    from govcredit.core.codes import mask_id_number
    from govcredit.core.crypto import get_pii_cipher
    from govcredit.sanctions.models import Measure

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_hooks.run("load_defaults", log=lambda *_: None)
    t = step("migrate + defaults", t)

    cipher = get_pii_cipher()
    now = timezone.now()
    today = timezone.localdate()
    orgs, people = codes_for(args)
    n_orgs, n_people = len(orgs), len(people)
    t = step(f"generate {n_orgs + n_people:,} codes", t)

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM subjects_subject")
        first_id = cur.fetchone()[0] + 1
        cols = (
            "id, kind, name, aliases, name_initials, uscc, id_cipher, id_hash, id_masked, public_id, "
            "division_code, placeholder_code, needs_confirmation, created_at, updated_at"
        )
        with cur.copy(f"COPY subjects_subject ({cols}) FROM STDIN") as copy:
            sid = first_id
            for i, code in enumerate(orgs):
                copy.write_row(
                    (
                        sid,
                        "department",
                        f"压测单位{i}",
                        "",
                        "",
                        code,
                        "",
                        None,
                        "",
                        f"PB{sid:012d}",
                        "",
                        False,
                        False,
                        now,
                        now,
                    )
                )
                sid += 1
            for i, number in enumerate(people):
                copy.write_row(
                    (
                        sid,
                        "civil_servant",
                        f"压测人员{i}",
                        "",
                        "",
                        None,
                        "",
                        cipher.lookup_hash(number),
                        mask_id_number(number),
                        f"PB{sid:012d}",
                        "",
                        False,
                        False,
                        now,
                        now,
                    )
                )
                sid += 1
        cur.execute("SELECT setval(pg_get_serial_sequence('subjects_subject','id'), %s)", [sid])
    t = step(f"COPY {n_orgs + n_people:,} subjects (ID numbers as keyed hashes only)", t)

    item = CatalogItem.objects.get(code="court_judgment")
    source = Organisation.objects.get(short_name="区法院")
    measure = Measure.objects.get(code="award_disqualification")
    n_subjects = n_orgs + n_people
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM records_creditrecord")
        first_record = cur.fetchone()[0] + 1
        cols = (
            "id, subject_id, item_id, severity, facts, document_no, decided_on, decided_by, outcome, legal_basis, "
            "source_unit_id, disclosure, status, version, proposed_by, created_at, updated_at, review_note, "
            "published_at, publish_until, repairable_from, end_reason"
        )
        statuses = ["published"] * 18 + ["under_objection", "expired"]
        with cur.copy(f"COPY records_creditrecord ({cols}) FROM STDIN") as copy:
            for i in range(args.records):
                copy.write_row(
                    (
                        first_record + i,
                        first_id + (i * 7919) % n_subjects,
                        item.pk,
                        "general",
                        "压测记录",
                        f"BENCH-{i}",
                        today - dt.timedelta(days=30),
                        "周村区人民法院",
                        "",
                        "",
                        source.pk,
                        "public",
                        statuses[i % 20],
                        1,
                        "",
                        now,
                        now,
                        "",
                        now,
                        today + dt.timedelta(days=300),
                        today + dt.timedelta(days=60),
                        "",
                    )
                )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('records_creditrecord','id'), %s)",
            [first_record + args.records],
        )
    t = step(f"COPY {args.records:,} records", t)

    with transaction.atomic(), connection.cursor() as cur:
        cols = 'subject_id, record_id, measure_id, start, "end", status, disputed, mitigated, reason, created_at, updated_at'
        with cur.copy(f"COPY sanctions_sanction ({cols}) FROM STDIN") as copy:
            step_size = max(args.records // args.sanctions, 1)
            for k in range(args.sanctions):
                i = k * step_size
                copy.write_row(
                    (
                        first_id + (i * 7919) % n_subjects,
                        first_record + i,
                        measure.pk,
                        today - dt.timedelta(days=20),
                        today + dt.timedelta(days=200),
                        "active",
                        i % 20 == 18,
                        False,
                        "压测",
                        now,
                        now,
                    )
                )
    t = step(f"COPY {args.sanctions:,} sanctions", t)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    step("ANALYZE", t)
    return {"codes": batch_for(args, orgs, people)}


def run(args) -> None:
    from django.test import Client

    from govcredit.accounts.models import Organisation, Role, User
    from govcredit.accounts.permissions import Access
    from govcredit.accounts.services import create_token, create_user
    from govcredit.sanctions.checks import run_check

    if args.reuse:
        codes = batch_for(args, *codes_for(args))
        print("Reusing the loaded database (--reuse)")
    else:
        codes = load(args)["codes"]
    user = User.objects.filter(username="bench-office").first() or create_user(
        "bench-office",
        "bench-password-123",
        memberships=[(Organisation.objects.get(short_name="区发改局"), Role.CREDIT_OFFICE)],
    )
    print(f"\nBatch of {len(codes):,} codes against {args.records:,} records / {args.sanctions:,} sanctions:")

    service_times = []
    for _ in range(args.repeat):
        access = Access.for_user(User.objects.get(pk=user.pk))
        started = time.perf_counter()
        check, results = run_check(codes, "award", access=access, reason="benchmark")
        service_times.append(time.perf_counter() - started)
    counts = {
        s: sum(1 for r in results if r["status"] == s) for s in ("clear", "blocked", "attention", "error")
    }
    print(f"  results: {counts}")

    _token, plain = create_token(user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    import json

    body = json.dumps({"purpose": "award", "subjects": codes})
    api_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.post("/api/v1/checks", body, content_type="application/json")
        payload = response.json()
        api_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        assert len(payload["results"]) == len(codes)

    bar = 2.0
    s, a = min(service_times), min(api_times)
    print(f"  load average while timing: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print(
        f"  service (run_check):        best {s:.2f} s of {args.repeat}  {'OK' if s <= bar else 'SLOW'} (bar {bar} s)"
    )
    print(
        f"  API (POST /api/v1/checks):  best {a:.2f} s of {args.repeat}  {'OK' if a <= bar else 'SLOW'} (bar {bar} s)"
    )
    print(
        f"  all runs: service {', '.join(f'{x:.2f}' for x in service_times)}; api {', '.join(f'{x:.2f}' for x in api_times)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sanctions", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=300_000)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time against the database a previous --keep run left (same sizes)",
    )
    args = parser.parse_args()
    if args.reuse:
        args.keep = True
    else:
        admin_sql(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        admin_sql(
            f"CREATE DATABASE \"{PG_NAME}\" ENCODING 'UTF8' TEMPLATE template0 LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
        )
    try:
        setup_django()
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()

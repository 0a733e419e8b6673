"""Obligations scan benchmark: the contracts module's part of ``govcredit duties scan`` over 100,000
obligations on PostgreSQL (bar ≤ 10 s).

    .venv/bin/python benchmarks/obligations_bench.py [--obligations 100000] [--overdue 200]
        [--pg postgresql://postgres@127.0.0.1:5432]

Creates a fresh database ``wt_contracts_bench`` (dropped at the end) with 1,000 contracts of 100
obligations each: most not yet due, 2 % past their due date but inside the grace period, and
``--overdue`` payments past the grace period (each gets an arrears case, a finding and a proposed
``arrears`` record in the review queue). Prints the time of the first scan and of a second one the
same day (which must change nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

DB_NAME = "wt_contracts_bench"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--obligations", type=int, default=100_000)
    parser.add_argument("--overdue", type=int, default=50)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    import psycopg

    admin = psycopg.connect(f"{args.pg}/postgres", autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {DB_NAME}")
    from import_bench import django_setup

    django_setup(f"{args.pg}/{DB_NAME}", tempfile.mkdtemp(prefix="govcredit-bench-"))
    try:
        from django.db import connection
        from django.utils import timezone

        from govcredit.accounts.models import Organisation
        from govcredit.contracts import duties as contract_duties
        from govcredit.contracts.models import ArrearsCase, GovContract, Obligation
        from govcredit.core.codes import make_uscc
        from govcredit.subjects.models import Subject, SubjectKind

        today = timezone.localdate()
        units = list(
            Organisation.objects.filter(subject__kind__in=("government", "department")).select_related(
                "subject"
            )
        )
        suppliers = Subject.objects.bulk_create(
            Subject(
                kind=SubjectKind.ENTERPRISE,
                name=f"周村区压测供应商{n}有限公司",
                uscc=make_uscc("91370306", 700_000 + n),
            )
            for n in range(500)
        )
        per_contract = 100
        n_contracts = max(1, args.obligations // per_contract)
        contracts = GovContract.objects.bulk_create(
            GovContract(
                number=f"BENCH-{n:06d}",
                title=f"压测合同{n}",
                kind="procurement",
                government=units[n % len(units)].subject,
                unit=units[n % len(units)],
                purchaser_type="organ",
                counterparty=suppliers[n % len(suppliers)],
                counterparty_scale="small",
                signed_on=today - dt.timedelta(days=400),
                amount=Decimal("10000000"),
            )
            for n in range(n_contracts)
        )
        rows = []
        overdue_left = args.overdue
        for c_index, contract in enumerate(contracts):
            for seq in range(1, per_contract + 1):
                i = c_index * per_contract + seq
                if overdue_left and i % (args.obligations // max(1, args.overdue)) == 0:
                    due, overdue_left = today - dt.timedelta(days=45), overdue_left - 1
                elif i % 50 == 0:
                    due = today - dt.timedelta(days=5)  # overdue, still inside the grace period
                else:
                    due = today + dt.timedelta(days=1 + i % 300)
                rows.append(
                    Obligation(
                        contract=contract,
                        seq=seq,
                        kind="payment",
                        title="进度款",
                        amount=Decimal("10000"),
                        outstanding=Decimal("10000"),
                        due_rule="fixed",
                        fixed_due_on=due,
                        due_on=due,
                        due_explain=f"合同约定于{due.isoformat()}前履行。",
                    )
                )
        started = time.perf_counter()
        Obligation.objects.bulk_create(rows, batch_size=5000)
        print(
            f"setup: {len(rows):,} obligations in {len(contracts):,} contracts ({time.perf_counter() - started:.1f} s)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        started = time.perf_counter()
        counts = contract_duties.scan(today)
        first = time.perf_counter() - started
        print(f"scan 1: {first:.2f} s  {counts}")
        if counts["arrears_cases"]:
            print(
                f"  of which per new arrears case (case + finding + proposed record): {first / counts['arrears_cases'] * 1000:.0f} ms"
            )
        started = time.perf_counter()
        again = contract_duties.scan(today)
        second = time.perf_counter() - started
        print(f"scan 2: {second:.2f} s  {again} (same day: nothing new)")
        print(f"arrears cases: {ArrearsCase.objects.count():,}")
        ok = first <= 10 and again["arrears_cases"] == 0 and again["findings"] == 0
        print("bar ≤ 10 s:", "met" if ok else "NOT met")
        connection.close()
        return 0 if ok else 1
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())

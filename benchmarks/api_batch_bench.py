"""API batch benchmark: 10,000 records in one POST /api/v1/records/batch on PostgreSQL (bar ≤ 10 s).

    .venv/bin/python benchmarks/api_batch_bench.py [--records 10000] [--pg postgresql://postgres@127.0.0.1:5432]

Creates a fresh database ``govcredit_bench_api`` (dropped at the end), a clerk of 区法院 with an API
token, and sends the batch through the full Django stack (in-process WSGI client: middleware, token
auth, Ninja parsing, records.bulk). Prints the time of the call and of a second identical call
(which must change nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

DB_NAME = "govcredit_bench_api"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    import psycopg

    admin = psycopg.connect(f"{args.pg}/postgres", autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin.execute(f"CREATE DATABASE {DB_NAME}")
    from import_bench import django_setup

    django_setup(f"{args.pg}/{DB_NAME}", tempfile.mkdtemp(prefix="govcredit-bench-"))
    try:
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from govcredit.accounts.models import Organisation, Role
        from govcredit.accounts.services import create_token, create_user
        from govcredit.core.codes import make_uscc
        from govcredit.records.models import CreditRecord

        settings.ALLOWED_HOSTS = ["*"]
        clerk = create_user(
            "bench-clerk",
            "bench-password-123",
            display_name="压测经办人",
            memberships=[(Organisation.objects.get(short_name="区法院"), Role.CLERK, False)],
        )
        _token, plain = create_token(clerk, name="压测")
        orgs = [(f"周村区第{n}号机关单位", make_uscc("11370306", 600_000 + n)) for n in range(500)]
        records = []
        for n in range(args.records):
            name, uscc = orgs[n % len(orgs)]
            day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 300)
            records.append(
                {
                    "subject_name": name,
                    "subject_kind": "部门",
                    "uscc": uscc,
                    "item": "court_judgment",
                    "severity": ["一般", "较重", "严重"][n % 3],
                    "document_no": f"周法民〔{day.year}〕{n + 1}号",
                    "decided_on": day.isoformat(),
                    "decided_by": "周村区人民法院",
                    "facts": f"第{n + 1}号案件：拖欠工程款未按生效判决履行。",
                    "outcome": "责令限期履行",
                }
            )
        body = json.dumps({"records": records, "submit": True}, ensure_ascii=False)
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
        for attempt in ("首次", "再次（内容相同）"):
            start = time.perf_counter()
            response = client.post("/api/v1/records/batch", body, content_type="application/json", **headers)
            elapsed = time.perf_counter() - start
            answer = response.json()
            outcomes: dict[str, int] = {}
            for item in answer.get("results", []):
                outcomes[item.get("outcome", "?")] = outcomes.get(item.get("outcome", "?"), 0) + 1
            print(
                f"{attempt}批量报送 {args.records:,} 条：HTTP {response.status_code}，{elapsed:.2f} 秒"
                f"（要求 ≤ 10 秒）{'✓' if elapsed <= 10 else '✗'}；接收 {answer.get('accepted')}，"
                f"退回 {answer.get('rejected')}，{outcomes}"
            )
        print(f"数据库中记录数：{CreditRecord.objects.count():,}")
        connection.close()
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

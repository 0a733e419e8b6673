"""Bulk-import benchmark (printed figures, not a timed test).

    .venv/bin/python benchmarks/import_bench.py [--rows 1000000] [--pg postgresql://postgres@127.0.0.1:5432]

1. writes a GBK CSV of N valid rows in the exchange format (DESIGN §5);
2. PostgreSQL: creates a fresh database ``govcredit_bench_import``, migrates it, loads the reference
   data, COPYs the same file raw into a scratch table (server-side CSV parsing, ENCODING 'GBK'),
   then imports it with ``intake.services.import_file``; then the floor: every row the import
   wrote, in every table it grew, COPYed again into empty copies of the same tables with the same
   indexes and constraints (what any import must cost the server, before validation). Prints the
   floor, the import, their ratio (bar ≤ 1.5×, issue 19), the import's peak RSS (bar ≤ 500 MB)
   and the ratios to the raw COPY; drops the database. ``--first-load``: a city's first load
   (one new subject per ten rows) instead of a unit's routine file;
3. SQLite: imports the same file into a fresh SQLite database; prints time and rows/s.

Each database leg runs in its own child process, so Django is configured once per leg and the
peak RSS is the import's own.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HEADERS = [
    "主体名称",
    "主体类型",
    "统一社会信用代码",
    "身份证号",
    "所属单位代码",
    "信息类别",
    "严重程度",
    "决定文书号",
    "决定日期",
    "决定机关",
    "失信事实",
    "处理结果",
    "法律依据",
]
DB_NAME = "govcredit_bench_import"


def generate(path: Path, rows: int, *, first_load: bool = False) -> None:
    """Departments and civil servants (10 % of the rows) whose unit is one of the first
    departments: the file's first rows register them, so later rows may refer to them.

    Default: 2,000 departments and 1,000 civil servants for the whole file (a unit's routine
    upload, mostly about subjects already registered after the first chunk). ``first_load``: a
    city's first load, one subject per ten rows (100,000 new subjects per 1,000,000 rows, 70 %
    departments, 30 % civil servants), spread over the file as a date-ordered file spreads them."""
    from govcredit.core.codes import make_id_number, make_uscc

    rng = random.Random(26)
    n_orgs, n_people = (rows * 7 // 100, rows * 3 // 100) if first_load else (2000, 1000)
    n_orgs, n_people = max(n_orgs, 10), max(n_people, 10)
    orgs = [(f"周村区第{n}号机关单位", make_uscc("11370306", 500_000 + n)) for n in range(n_orgs)]
    if first_load:  # distinct names and ID numbers; units among the first four departments
        people = [
            (
                f"王{chr(0x4E00 + n % 2000)}{chr(0x4E00 + n // 2000 % 2000)}",
                make_id_number("370306", dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000), n % 1000),
                orgs[n % 4][1],
            )
            for n in range(n_people)
        ]
    else:  # as before the first-load scenario existed, for comparable figures
        people = [
            (
                f"王{chr(0x4E00 + n % 2000)}明",
                make_id_number("370306", dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28), n % 1000),
                orgs[0][1],
            )
            for n in range(n_people)
        ]
    severities = ["一般", "较重", "严重"]
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for n in range(rows):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 600)
            date_text = f"{day:%Y-%m-%d}" if n % 3 else f"{day.year}年{day.month}月{day.day}日"
            if n % 10 == 5:
                name, id_number, unit = people[rng.randrange(len(people))]
                writer.writerow(
                    [
                        name,
                        "公务员",
                        "",
                        id_number,
                        unit,
                        "admin_penalty",
                        severities[n % 3],
                        f"周法罚〔{day.year}〕{n + 1}号",
                        date_text,
                        "周村区人民法院",
                        f"第{n + 1}号案件：未按期履行行政处罚决定，经催告仍未履行。",
                        "罚款",
                        "",
                    ]
                )
            else:
                name, uscc = orgs[rng.randrange(len(orgs)) if n >= 4 else n]
                writer.writerow(
                    [
                        name,
                        "部门",
                        uscc,
                        "",
                        "",
                        "court_judgment",
                        severities[n % 3],
                        f"周法民〔{day.year}〕{n + 1}号",
                        date_text,
                        "周村区人民法院",
                        f"第{n + 1}号案件：拖欠工程款未按生效判决履行，涉及金额{(n * 37) % 100000}元。",
                        "责令限期履行",
                        "",
                    ]
                )


def cpu_seconds() -> float:
    """This process's CPU time (all threads)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend (read from /proc: the server is local)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["GOVCREDIT_DATA_DIR"] = data_dir
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "b" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ.pop("GOVCREDIT_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govcredit.settings"
    Path(data_dir, "static").mkdir(parents=True, exist_ok=True)  # no whitenoise warning
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from govcredit.core import setup_hooks

    setup_hooks.run("load_defaults", log=lambda *_: None)


def leg(kind: str, path: str, pg: str) -> dict:
    """Runs in a child process: one database, one import. Returns figures as a dict."""
    data_dir = tempfile.mkdtemp(prefix="govcredit-bench-")
    figures: dict = {}
    if kind == "pg":
        import psycopg

        admin = psycopg.connect(f"{pg}/postgres", autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
        django_setup(f"{pg}/{DB_NAME}", data_dir)
    else:
        django_setup(f"sqlite:///{data_dir}/bench.sqlite3", data_dir)
    from django.db import connection, transaction

    from govcredit.intake.services import import_file
    from govcredit.records.models import CreditRecord
    from govcredit.records.services import resolve_source_unit

    court = resolve_source_unit("区法院")
    if kind == "pg":
        columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE bench_raw ({columns})")
        backend = backend_cpu_seconds()
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            with cur.copy("COPY bench_raw FROM STDIN (FORMAT csv, HEADER true, ENCODING 'GBK')") as copy:
                with open(path, "rb") as fh:
                    while block := fh.read(1 << 20):
                        copy.write(block)
        figures["raw_copy_s"] = time.perf_counter() - start
        if backend is not None:
            figures["raw_copy_backend_cpu_s"] = backend_cpu_seconds() - backend
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM bench_raw")
            figures["raw_rows"] = cur.fetchone()[0]
    before = max_ids()
    rss_before = peak_rss_mb()
    backend = backend_cpu_seconds() if kind == "pg" else None
    cpu = cpu_seconds()
    start = time.perf_counter()
    result = import_file(path, source_unit=court)
    figures["import_s"] = time.perf_counter() - start
    figures["import_python_cpu_s"] = cpu_seconds() - cpu
    if backend is not None:
        figures["import_backend_cpu_s"] = backend_cpu_seconds() - backend
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["rss_before_mb"] = rss_before
    figures["exit_code"] = result.exit_code
    figures["message"] = result.message
    figures["records"] = CreditRecord.objects.count()
    figures["subjects_created"] = result.summary.subjects_created
    if kind == "pg":
        figures.update(floor(data_dir, before))
    start = time.perf_counter()
    again = import_file(path, source_unit=court) if os.environ.get("BENCH_AGAIN") else None
    if again is not None:
        figures["second_run_s"] = time.perf_counter() - start
        figures["second_run_message"] = again.message
    if kind == "pg":
        connection.close()
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return figures


def floor_models():
    from govcredit.records.models import CreditRecord, RecordVersion, StatusChange
    from govcredit.subjects.models import Subject, SubjectName

    return (Subject, SubjectName, CreditRecord, RecordVersion, StatusChange)


def max_ids() -> dict:
    """Each grown table's highest id before the import: the floor copies only the rows above it."""
    from django.db.models import Max

    return {m._meta.db_table: m.objects.aggregate(top=Max("id"))["top"] or 0 for m in floor_models()}


def floor(data_dir: str, before: dict) -> dict:
    """The least any import of this file must cost the server: COPY the rows the import wrote in
    every table it grew (new subjects and their name history, records, first versions, status
    changes), dumped back to text, into empty copies of those tables with the same indexes and
    constraints (no foreign-key triggers, no validation, no Python). Timed like the raw COPY."""
    from django.db import connection, transaction

    seconds = 0.0
    backend = 0.0
    tables = {}
    for model in floor_models():
        table = model._meta.db_table
        dump = Path(data_dir, f"{table}.copy")
        with connection.cursor() as cur:
            query = f"COPY (SELECT * FROM {table} WHERE id > {int(before[table])}) TO STDOUT"  # noqa: S608
            with cur.copy(query) as copy, dump.open("wb") as fh:
                for block in copy:
                    fh.write(block)
            cur.execute(f"CREATE TABLE floor_copy (LIKE {table} INCLUDING ALL)")
        before_cpu = backend_cpu_seconds()
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            with cur.copy("COPY floor_copy FROM STDIN") as copy, dump.open("rb") as fh:
                while block := fh.read(1 << 20):
                    copy.write(block)
        tables[table] = time.perf_counter() - start
        seconds += tables[table]
        if before_cpu is not None:
            backend += backend_cpu_seconds() - before_cpu
        with connection.cursor() as cur:
            cur.execute("DROP TABLE floor_copy")
        dump.unlink()
    return {"floor_copy_s": seconds, "floor_backend_cpu_s": backend, "floor_tables_s": tables}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--first-load", action="store_true", help="a city's first load: one new subject per ten rows"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--leg", choices=["pg", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg:
        print(json.dumps(leg(args.leg, args.file, args.pg), ensure_ascii=False))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="govcredit-bench-"))
    path = workdir / f"records-{args.rows}.csv"
    start = time.perf_counter()
    generate(path, args.rows, first_load=args.first_load)
    size = path.stat().st_size / 1e6
    print(
        f"生成 {args.rows:,} 行 GBK CSV{'（首次全量导入：每十行一个新主体）' if args.first_load else ''}：{size:,.1f} MB，用时 {time.perf_counter() - start:.1f} 秒（{path}）"
    )

    def run_leg(kind: str) -> dict:
        out = subprocess.run(
            [sys.executable, __file__, "--leg", kind, "--file", str(path), "--pg", args.pg],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{kind} leg failed")
        return json.loads(out.stdout.strip().splitlines()[-1])

    if not args.skip_pg:
        pg = run_leg("pg")
        raw_ratio = pg["import_s"] / pg["raw_copy_s"]
        floor_ratio = pg["import_s"] / pg["floor_copy_s"]
        print(f"PostgreSQL 原始 COPY（{pg['raw_rows']:,} 行进无索引的文本表）：{pg['raw_copy_s']:.2f} 秒")
        print(
            f"下限（导入写出的每一行——新主体及名称历史、记录、首个版本、状态变更——已是 COPY 文本，"
            f"COPY 进带同样索引和约束的空表）：{pg['floor_copy_s']:.2f} 秒，后端 CPU {pg['floor_backend_cpu_s']:.1f} 秒"
        )
        print(
            "    其中 "
            + "；".join(
                f"{table} {seconds:.2f} 秒（{seconds / pg['raw_copy_s']:.2f}× 原始 COPY）"
                for table, seconds in pg["floor_tables_s"].items()
            )
        )
        print(
            f"PostgreSQL 导入（校验 + 主体 + 记录/版本/状态变更 + 审计）：{pg['import_s']:.2f} 秒，"
            f"{args.rows / pg['import_s']:,.0f} 行/秒，{pg['import_s'] / args.rows * 1e6:.0f} µs/行；"
            f"新登记主体 {pg['subjects_created']:,} 个；结果：{pg['message']}"
        )
        print(
            f"比值 导入/下限 = {floor_ratio:.2f}×（要求 ≤ 1.5×）{'✓' if floor_ratio <= 1.5 else '✗'}；"
            f"导入/原始 COPY = {raw_ratio:.2f}×，下限/原始 COPY = {pg['floor_copy_s'] / pg['raw_copy_s']:.2f}×"
        )
        if "import_backend_cpu_s" in pg:
            print(
                f"CPU 时间：导入进程（读取 + 校验 + 组装，两个线程）{pg['import_python_cpu_s']:.1f} 秒，"
                f"PostgreSQL 后端（写入三张表及其索引）{pg['import_backend_cpu_s']:.1f} 秒；"
                f"原始 COPY 的后端 {pg.get('raw_copy_backend_cpu_s', 0):.1f} 秒；"
                f"机器负载 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）"
            )
        print(
            f"导入进程峰值 RSS = {pg['peak_rss_mb']:.0f} MB（要求 ≤ 500 MB）{'✓' if pg['peak_rss_mb'] <= 500 else '✗'}"
        )
        if "second_run_s" in pg:
            print(
                f"再次导入同一文件（BENCH_AGAIN=1）：{pg['second_run_s']:.2f} 秒；{pg['second_run_message']}"
            )
    if not args.skip_sqlite:
        lite = run_leg("sqlite")
        print(
            f"SQLite 导入：{lite['import_s']:.2f} 秒，{args.rows / lite['import_s']:,.0f} 行/秒，"
            f"峰值 RSS {lite['peak_rss_mb']:.0f} MB，CPU {lite['import_python_cpu_s']:.1f} 秒；结果：{lite['message']}"
        )
    path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())

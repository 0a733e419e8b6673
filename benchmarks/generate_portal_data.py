"""Build the 信用周村 benchmark data set in PostgreSQL: N subjects and M credit records, loaded with COPY.

    .venv/bin/python benchmarks/generate_portal_data.py                       # 100,000 subjects, 1,000,000 records
    .venv/bin/python benchmarks/generate_portal_data.py --subjects 20000 --records 200000
    .venv/bin/python benchmarks/generate_portal_data.py --drop                # drop the database and stop

The database (default ``govcredit_bench``; never ``postgres``) is dropped and re-created with a UTF-8
ctype (pg_trgm needs it for CJK), migrated, loaded with the 周村区 reference data and catalog, then
filled by streaming generated rows through ``COPY`` (stack.md §4, §9). Finishes with VACUUM ANALYZE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SERVER = "postgresql://postgres@127.0.0.1:5432"

PLACES = "周村 北郊 南郊 王村 萌水 城北 丝绸路 永安 青年路 大街 正阳 新建 长行 商家 贺家 彭家 东塘 西塘 姜家 梁家".split()
TRADES = "纺织 丝绸 机械 建材 化工 食品 物流 电子 陶瓷 医药 农业 商贸 印刷 家具 汽修 环保 酒店 餐饮 科技 能源".split()
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "合作社", "商行", "经营部"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
FACTS = [
    "未按生效判决履行付款义务，经强制执行仍未履行完毕。",
    "在行政审批中超过承诺时限办结，造成群众多次往返。",
    "拖欠中小企业工程款逾期未支付。",
    "未履行招商引资合同约定的政策兑现承诺。",
    "违反工作纪律，履职不力，造成不良影响。",
    "年度考核优秀，予以通报表彰。",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="govcredit_bench")
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--drop", action="store_true", help="drop the database and exit")
    return parser.parse_args(argv)


def admin_sql(statements: list[str]) -> None:
    import psycopg

    with psycopg.connect(SERVER + "/postgres", autocommit=True, prepare_threshold=None) as conn:
        for statement in statements:
            conn.execute(statement)


def recreate_database(name: str) -> None:
    if name in {"postgres", "template0", "template1"} or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to use database {name!r}")
    admin_sql(
        [
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        ]
    )


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    os.environ.setdefault("GOVCREDIT_SECRET_KEY", "bench-secret-" + "b" * 40)
    os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
    os.environ.setdefault("GOVCREDIT_DATA_DIR", "/tmp/govcredit-bench-data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govcredit.settings")
    import django

    django.setup()


class Initials:
    """Pinyin initials with a per-character cache (pypinyin per name is too slow for 100k names)."""

    def __init__(self):
        from pypinyin import Style, lazy_pinyin

        self._lazy, self._style, self._cache = lazy_pinyin, Style.FIRST_LETTER, {}

    def __call__(self, text: str) -> str:
        out = []
        for ch in text:
            if ch not in self._cache:
                self._cache[ch] = "".join(self._lazy(ch, style=self._style, errors="ignore")).lower()
            out.append(self._cache[ch])
        return "".join(out)


def extra_not_null(table: str, known: set[str]) -> dict[str, object]:
    """Defaults for NOT NULL columns other apps may have added since this script was written."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [table],
        )
        rows = cur.fetchall()
    fill = {"boolean": False, "integer": 0, "bigint": 0, "smallint": 0, "jsonb": "{}"}
    return {name: fill.get(kind, "") for name, kind in rows if name not in known}


def copy_rows(table: str, columns: list[str], rows) -> int:
    from django.db import connection, transaction

    n = 0
    with transaction.atomic(), connection.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def generate(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from govcredit.accounts.models import Organisation
    from govcredit.catalog.models import CatalogItem
    from govcredit.core import setup_hooks
    from govcredit.core.codes import make_uscc, mask_id_number
    from govcredit.subjects.models import Subject

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_hooks.run("load_defaults", log=lambda *_: None)
    print(f"migrated and loaded reference data in {time.perf_counter() - t0:.1f} s", flush=True)

    rng = random.Random(args.seed)
    initials = Initials()
    now = dt.datetime.now(dt.UTC)
    parents = list(Subject.objects.filter(kind="department").values_list("pk", flat=True))

    # -- subjects: 3% departments, 62% enterprises, 35% civil servants --------------------------
    t1 = time.perf_counter()
    subject_cols = [
        "kind",
        "name",
        "aliases",
        "name_initials",
        "uscc",
        "id_cipher",
        "id_hash",
        "id_masked",
        "public_id",
        "parent_id",
        "division_code",
        "placeholder_code",
        "needs_confirmation",
        "created_at",
        "updated_at",
    ]
    extra = extra_not_null("subjects_subject", set(subject_cols) | {"id"})
    subject_cols += list(extra)

    def subject_rows():
        for n in range(args.subjects):
            roll = n % 100
            parent, uscc, id_hash, id_masked = None, None, None, ""
            if roll < 3:
                kind = "department"
                name = f"周村区{rng.choice(PLACES)}{rng.choice(TRADES)}服务中心{n}"
                uscc = make_uscc("12370306", 50_000_000 + n)
                parent = rng.choice(parents)
            elif roll < 65:
                kind = "enterprise"
                name = f"淄博{rng.choice(PLACES)}{rng.choice(TRADES)}{rng.choice(FORMS)}{n}"
                uscc = make_uscc("91370306", 60_000_000 + n)
            else:
                kind = "civil_servant"
                name = (
                    rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
                )
                id_hash = f"{rng.getrandbits(256):064x}"
                id_masked = mask_id_number(f"370306{19600101 + n % 400:08d}{n % 10_000:04d}")
                parent = rng.choice(parents)
            yield (
                kind,
                name,
                "",
                initials(name),
                uscc,
                "",
                id_hash,
                id_masked,
                f"P{rng.getrandbits(64):016X}",
                parent,
                "",
                False,
                False,
                now,
                now,
                *extra.values(),
            )

    made = copy_rows("subjects_subject", subject_cols, subject_rows())
    print(f"subjects: {made:,} in {time.perf_counter() - t1:.1f} s", flush=True)

    # -- records -------------------------------------------------------------------------------
    t2 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, kind FROM subjects_subject WHERE kind IN ('department', 'enterprise', 'civil_servant')"
        )
        subjects = cur.fetchall()
    items = list(CatalogItem.objects.all())
    by_kind = {
        k: [i for i in items if k in i.subject_kinds] for k in ("department", "enterprise", "civil_servant")
    }
    units = list(Organisation.objects.filter(is_source_unit=True).values_list("pk", "name"))
    record_cols = [
        "subject_id",
        "item_id",
        "severity",
        "facts",
        "document_no",
        "decided_on",
        "decided_by",
        "outcome",
        "legal_basis",
        "source_unit_id",
        "disclosure",
        "status",
        "version",
        "proposed_by",
        "created_at",
        "updated_at",
        "review_note",
        "published_at",
        "publish_until",
        "repairable_from",
        "ended_at",
        "end_reason",
    ]
    extra_r = extra_not_null("records_creditrecord", set(record_cols) | {"id"})
    record_cols += list(extra_r)
    today = dt.date.today()

    def record_rows():
        for n in range(args.records):
            subject_id, kind = subjects[rng.randrange(len(subjects))]
            item = rng.choice(by_kind.get(kind) or items)
            severity = rng.choice(item.severities or ["general"])
            decided = today - dt.timedelta(days=rng.randrange(30, 1500))
            roll = rng.random()
            status = "published" if roll < 0.70 else ("under_objection" if roll < 0.74 else "expired")
            until = today + dt.timedelta(days=rng.randrange(30, 900)) if status != "expired" else decided
            published = dt.datetime.combine(decided + dt.timedelta(days=10), dt.time(2), dt.UTC)
            unit_id, unit_name = units[n % len(units)]
            yield (
                subject_id,
                item.pk,
                severity,
                FACTS[n % len(FACTS)],
                f"周基准〔{decided.year}〕{n}号",
                decided,
                unit_name,
                "责令限期整改",
                item.legal_basis,
                unit_id,
                item.disclosure,
                status,
                1,
                "",
                now,
                now,
                "",
                published,
                until,
                decided + dt.timedelta(days=180),
                now if status == "expired" else None,
                "公示期届满" if status == "expired" else "",
                *extra_r.values(),
            )

    made = copy_rows("records_creditrecord", record_cols, record_rows())
    print(f"records: {made:,} in {time.perf_counter() - t2:.1f} s", flush=True)
    # VACUUM, not just ANALYZE: rows COPYed after the GIN trigram indexes exist sit in the indexes'
    # pending lists, and every search scans those lists until a vacuum merges them (38 ms → 0.3 ms
    # for a 4-character name search at 100k subjects). In production autovacuum does the same.
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = True  # VACUUM cannot run inside a transaction block
    try:
        with raw.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    finally:
        raw.autocommit = previous
    print(f"total {time.perf_counter() - t0:.1f} s", flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.drop:
        admin_sql([f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'])
        print(f"dropped {args.database}")
        return 0
    recreate_database(args.database)
    setup_django(args.database)
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

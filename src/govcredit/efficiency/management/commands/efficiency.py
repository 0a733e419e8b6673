"""``govcredit efficiency import FILE [--dry-run] [--report OUT.csv]``: 办件 from the 政务服务平台 (CSV).
Exit 0 all rows accepted, 1 some rejected, 2 the file is unreadable (nothing written)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "导入政务服务平台办件（CSV，表头：办件编号,事项编码,受理日期,办结日期,补正告知日期,不计入期间）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入办件 CSV")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true")
        imp.add_argument("--report")

    def handle(self, *args, action: str, file: str, dry_run: bool, report: str | None, **options):
        from govcredit.efficiency import services

        try:
            rows = services.read_csv(Path(file).read_bytes())
        except (OSError, services.UnreadableFile) as exc:
            self.stderr.write(f"文件无法读取：{exc}")
            sys.exit(2)
        result = services.import_cases(rows, dry_run=dry_run)
        self.stdout.write(
            f"新增{result.created}件，更新{result.updated}件，拒绝{result.rejected}件"
            + ("（试运行，未写入）" if dry_run else "")
        )
        if report:
            Path(report).write_bytes(result.report_csv())
        if result.rejected:
            sys.exit(1)

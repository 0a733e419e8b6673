"""govcredit complaints import FILE [--dry-run] [--report OUT.csv]

Imports 12345 hotline work orders as complaints. Exit 0 all rows accepted, 1 some rows rejected,
2 the file itself is unreadable (nothing written); the report is CSV, UTF-8 with BOM, header
``行号,列,原因,原值`` as for ``import-records``.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from govcredit.intake.reader import FileRefused
from govcredit.supervision import importer


class Command(BaseCommand):
    help = "投诉举报：govcredit complaints import 文件（导入12345热线工单）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="导入12345热线工单（CSV 或 XLSX）")
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        p.add_argument("--report", help="问题报告 CSV 的保存路径")

    def handle(self, *args, action=None, file=None, dry_run=False, report=None, **options):
        try:
            result = importer.import_hotline(file, dry_run=dry_run)
        except FileRefused as exc:
            raise CommandError(f"文件无法导入（未写入任何数据）：{exc.message}", returncode=2) from None
        if report:
            importer.write_report(result, report)
        verb = "可导入" if dry_run else "已导入"
        self.stdout.write(
            f"{verb} {result.created} 张工单，跳过已导入 {result.skipped} 张，拒绝 {result.rejected_rows} 行"
        )
        for p in result.problems[:20]:
            self.stdout.write(f"  第{p.row}行 {p.column}：{p.reason}")
        if result.exit_code:
            sys.exit(result.exit_code)

"""``govcredit disclosure annual-report --unit U --year Y [--out FILE.xlsx]``: the Art 50 statistics."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q


class Command(BaseCommand):
    help = "政府信息公开：生成年度报告统计草稿（annual-report --unit 区住建局 --year 2025）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rep = sub.add_parser("annual-report", help="第五十条年度报告统计（XLSX）")
        rep.add_argument("--unit", required=True)
        rep.add_argument("--year", required=True, type=int)
        rep.add_argument("--out")

    def handle(self, *args, action: str, unit: str, year: int, out: str | None, **options):
        from govcredit.accounts.models import Organisation
        from govcredit.core.spreadsheets import xlsx_bytes
        from govcredit.openinfo.annual import HEADERS, annual_report

        org = Organisation.objects.filter(
            Q(short_name=unit) | Q(name=unit) | Q(subject__uscc=unit.upper())
        ).first()
        if org is None:
            raise CommandError(f"单位「{unit}」不存在（可填简称、登记名称或统一社会信用代码）")
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在2000至2100之间")
        rows = annual_report(org, year)
        path = Path(out or f"{org.short_name or org.name}-{year}年政府信息公开工作年度报告统计.xlsx")
        path.write_bytes(xlsx_bytes(f"{year}年度报告统计", HEADERS, rows))
        for _part, indicator, value, _note in rows:
            if value != "":
                self.stdout.write(f"{indicator.strip()}：{value}")
        self.stdout.write(f"已写入 {path}")

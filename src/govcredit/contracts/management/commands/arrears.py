"""govcredit arrears disclose --year Y

Generates and publishes the Art 18 statement of year Y (overdue SME contracts per unit). Exit 0 when
published (or unchanged), 2 for a bad year.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from govcredit.contracts import disclosure
from govcredit.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "清欠：govcredit arrears disclose --year 年度（生成并公开逾期未支付中小企业款项的合同情况）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("disclose", help="按《保障中小企业款项支付条例》第十八条生成并公开年度情况")
        p.add_argument("--year", required=True, help="年度，如 2025")

    def handle(self, *args, action=None, year=None, **options):
        try:
            year_number = int(year)
        except (TypeError, ValueError):
            raise CommandError(f"--year 应为四位年份，当前为 {year}", returncode=2) from None
        try:
            result, event = disclosure.publish(year_number)
        except ValidationFailed as exc:
            raise CommandError(exc.message, returncode=2) from None
        label = {"publish": "已公开", "correct": "已更正公开", "unchanged": "数据未变化，保持原公开内容"}[
            event
        ]
        self.stdout.write(
            f"{year_number}年度逾期未支付中小企业款项的合同情况：{label}（第{result.version}版）"
        )
        self.stdout.write(f"统计截止 {result.as_of.isoformat()}，公开期限 {result.due_by.isoformat()}")
        for row in result.rows:
            self.stdout.write(f"  {row['unit']}\t{row['count']} 份\t{Decimal(row['amount']):,.2f} 元")
        self.stdout.write(f"合计 {result.total_count} 份，{result.total_amount:,.2f} 元")

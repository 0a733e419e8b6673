"""``govcredit snail nominate --period 2026Q1``: the evidence-computed 蜗牛奖 candidates with the cases."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from govcredit.core.errors import CreditError


class Command(BaseCommand):
    help = "蜗牛奖：按办件数据计算候选单位（nominate --period 2026Q1 | 2026-03 | 2026）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        nominate = sub.add_parser("nominate", help="列出候选单位及其依据的办件")
        nominate.add_argument("--period", required=True)

    def handle(self, *args, action: str, period: str, **options):
        from govcredit.efficiency import services

        try:
            candidates = services.nominate(period)
            rule = services.criteria()
        except CreditError as exc:
            detail = exc.message
            if exc.field_errors:
                detail += "：" + "；".join(m for ms in exc.field_errors.values() for m in ms)
            raise CommandError(detail) from exc
        self.stdout.write(f"{period} 蜗牛奖候选单位（评选标准 {rule.version}，{rule.source[:40]}…）")
        if not candidates:
            self.stdout.write("没有达到提名标准的单位。")
            return
        for n, c in enumerate(candidates, start=1):
            e = c.efficiency
            self.stdout.write(
                f"{n}. {e.unit.name}：办结{e.cases}件，按时{e.on_time_percent}%，平均{e.mean_days}个工作日；"
                + "；".join(c.reasons)
            )
            for case in e.worst:
                self.stdout.write(
                    f"   - {case.case_no} {case.item.name}：受理{case.received_on:%Y-%m-%d}，承诺期限{case.due_on:%Y-%m-%d}，"
                    f"办结{case.completed_on:%Y-%m-%d}，超期{case.overrun_days}个工作日"
                )

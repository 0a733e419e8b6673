"""govcredit evaluation run --period P --as-of DATE | recompute RUN

``run`` opens a run with the active indicator set, freezing its inputs, and prints the unit count,
the grades and the SM3 hashes; ``recompute`` rescores from the frozen inputs and compares.
Exit 0 on success / identical, 1 when recompute differs, 2 for bad arguments."""

from __future__ import annotations

import json
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from govcredit.core.errors import CreditError
from govcredit.evaluation import services
from govcredit.records.validation import parse_date


class Command(BaseCommand):
    help = "政务诚信评价：govcredit evaluation run --period 2026 --as-of 2026-12-31；govcredit evaluation recompute 批次号"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("run", help="按启用的指标体系开展评价（冻结输入）")
        p.add_argument("--period", required=True, help="评价年度，如 2026")
        p.add_argument("--as-of", dest="as_of", required=True, help="数据截止日 YYYY-MM-DD（不晚于今天）")
        r = sub.add_parser("recompute", help="用冻结的输入复算，核对得分和摘要")
        r.add_argument("run", help="评价批次号")
        r.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action=None, **options):
        started = time.perf_counter()
        if action == "run":
            try:
                as_of = parse_date(options["as_of"])
            except (ValueError, OverflowError, TypeError):
                raise CommandError(f"--as-of 日期格式有误：{options['as_of']}", returncode=2) from None
            try:
                run = services.open_run(options["period"], as_of, access=None)
            except CreditError as exc:
                raise CommandError(exc.message, returncode=2) from None
            grades = Counter(run.results.values_list("grade_label", flat=True))
            self.stdout.write(f"评价批次 {run.pk}：{run}，{run.results.count()} 个单位")
            self.stdout.write("等次：" + " ".join(f"{k}={v}" for k, v in sorted(grades.items())))
            self.stdout.write(f"输入摘要 {run.inputs_hash}")
            self.stdout.write(f"结果摘要 {run.result_hash}")
        else:
            try:
                run = services.get_run(int(options["run"]))
            except (ValueError, CreditError):
                raise CommandError(f"评价批次不存在：{options['run']}", returncode=2) from None
            report = services.recompute(run)
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False))
            else:
                self.stdout.write(f"评价批次 {run.pk}：{report['units']} 个单位")
                self.stdout.write(f"结果摘要 {report['result_hash']}（保存的 {report['stored_hash']}）")
                self.stdout.write(
                    "公开事项日志：" + ("已登记" if report["in_disclosure_ledger"] else "未登记（尚未公布）")
                )
                self.stdout.write(
                    "复算结果一致" if report["identical"] else f"复算结果不一致：{report['differences'][:10]}"
                )
            if not report["identical"]:
                self.stdout.write(f"用时 {time.perf_counter() - started:.2f} 秒")
                raise CommandError("复算结果与保存的不一致", returncode=1)
        self.stdout.write(f"用时 {time.perf_counter() - started:.2f} 秒")

"""govcredit duties scan [--as-of DATE]

Exit 0 when every module scanned, 1 when a module's scan failed, 2 for a bad or future --as-of.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from govcredit.core.errors import ValidationFailed
from govcredit.duties.scanner import scan
from govcredit.records.validation import parse_date


class Command(BaseCommand):
    help = "履职事项扫描：govcredit duties scan [--as-of 日期]（发送到期提醒、催办、督办，生成失信线索）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("scan", help="扫描到期和逾期的履职事项")
        p.add_argument("--as-of", dest="as_of", help="按此日期扫描（YYYY-MM-DD，不能晚于今天；默认今天）")
        p.add_argument("--no-send", action="store_true", help="只推进提醒阶段，不发送邮件和短信")

    def handle(self, *args, action=None, as_of=None, no_send=False, **options):
        day = None
        if as_of:
            try:
                day = parse_date(as_of)
            except (ValueError, OverflowError):
                raise CommandError(
                    f"--as-of 日期格式有误：{as_of}（应为 YYYY-MM-DD）", returncode=2
                ) from None
        started = time.perf_counter()
        try:
            results = scan(day, send=not no_send)
        except ValidationFailed as exc:
            raise CommandError(exc.message, returncode=2) from None
        for module, counts in results.items():
            text = " ".join(f"{k}={v}" for k, v in counts.items()) or "-"
            self.stdout.write(f"{module}: {text}")
        self.stdout.write(f"用时 {time.perf_counter() - started:.2f} 秒")
        if any(c.get("failed") for c in results.values()):
            raise CommandError("部分模块扫描失败，详见日志", returncode=1)

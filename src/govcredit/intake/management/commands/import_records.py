"""govcredit import-records FILE --source-unit UNIT [--dry-run] [--report OUT.csv] [--submit]

Exit 0 all rows accepted, 1 some rows rejected, 2 the file itself is unreadable (nothing written).
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from govcredit.intake.services import import_file
from govcredit.records.services import resolve_source_unit


class Command(BaseCommand):
    help = "批量导入信用记录（CSV 或 XLSX，交换格式见设计文档 §5）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 或 XLSX 文件")
        parser.add_argument(
            "--source-unit", required=True, help="报送单位：统一社会信用代码、全称或简称（如 区法院）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--report", help="把被退回行的问题写入此 CSV 文件（UTF-8 带 BOM）")
        parser.add_argument("--submit", action="store_true", help="导入后直接提交审核（默认存为草稿）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        err = Console(stderr=True)
        out = Console(file=self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout)
        unit = resolve_source_unit(options["source_unit"])
        if unit is None:
            err.print(
                f"[red]找不到报送单位「{options['source_unit']}」：请填写统一社会信用代码、单位全称或简称[/red]"
            )
            sys.exit(2)
        progress = None
        state = {"task": None, "start": time.monotonic()}
        if not options["no_progress"]:
            progress = Progress(
                TextColumn("[bold]导入[/bold]"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rows]:,} 行 · {task.fields[rate]:,.0f} 行/秒"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                console=err,
                transient=False,
            )

        def on_start(table):
            if progress:
                progress.start()
                state["task"] = progress.add_task("import", total=table.total or None, rows=0, rate=0.0)

        def on_progress(rows, table):
            if progress and state["task"] is not None:
                elapsed = max(time.monotonic() - state["start"], 1e-6)
                progress.update(state["task"], completed=table.done(), rows=rows, rate=rows / elapsed)

        try:
            result = import_file(
                options["file"],
                source_unit=unit,
                submit=options["submit"],
                dry_run=options["dry_run"],
                report_path=options.get("report"),
                on_start=on_start,
                on_progress=on_progress,
            )
        finally:
            if progress:
                progress.stop()
        elapsed = time.monotonic() - state["start"]
        if result.refused:
            err.print(f"[red]{result.message}[/red]")
            sys.exit(2)
        for warning in result.warnings:
            err.print(f"[yellow]注意：{warning}[/yellow]")
        prefix = "（试运行，未写入）" if options["dry_run"] else ""
        out.print(
            f"{prefix}{result.message}。文件编码 {result.encoding}，用时 {elapsed:.1f} 秒。", highlight=False
        )
        if result.summary.rejected:
            for line in result.sample[:10]:
                out.print(f"  第{line.line}行 {line.column}：{line.reason}", highlight=False, markup=False)
            if options.get("report"):
                out.print(f"全部问题已写入 {options['report']}", highlight=False)
        if result.exit_code:
            sys.exit(result.exit_code)

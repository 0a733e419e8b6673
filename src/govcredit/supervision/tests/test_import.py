"""``govcredit complaints import``: 12345 work orders, exit codes 0/1/2, the problem report."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from govcredit.supervision.models import Complaint

HEADER = "工单号,受理日期,类别,被反映单位,诉求内容,来电人,联系电话\n"
GOOD = "GD-1,2026-11-02,hotline,区住建局,反映区住建局承诺的电梯补贴两年未兑现。,王五,13900002222\n"


def run(path, *extra):
    try:
        call_command("complaints", "import", str(path), *extra)
    except SystemExit as exc:
        return exc.code
    return 0


@pytest.mark.django_db
class TestHotlineImport:
    def test_all_rows_accepted_is_exit_0_and_a_rerun_skips(self, personas, tmp_path):
        f = tmp_path / "gd.csv"
        f.write_text(HEADER + GOOD, encoding="utf-8-sig")
        assert run(f) == 0
        c = Complaint.objects.get()
        assert c.channel == "hotline" and c.external_no == "GD-1" and c.name_masked == "王*"
        assert run(f) == 0 and Complaint.objects.count() == 1

    def test_a_bad_row_is_exit_1_with_a_report(self, personas, tmp_path):
        f = tmp_path / "gd.csv"
        f.write_text(HEADER + GOOD + "GD-2,2026-13-40,hotline,无此局,=cmd(),,\n", encoding="gbk")
        report = tmp_path / "r.csv"
        assert run(f, "--report", str(report)) == 1
        assert Complaint.objects.count() == 1
        with report.open(encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["行号", "列", "原因", "原值"]
        assert {r[1] for r in rows[1:]} >= {"受理日期", "被反映单位", "诉求内容"}
        assert all(r[0] == "3" for r in rows[1:])
        assert any(r[3] == "'=cmd()" for r in rows[1:])

    def test_an_unreadable_file_is_exit_2_and_nothing_written(self, personas, tmp_path):
        f = tmp_path / "gd.csv"
        f.write_text("a,b\n1,2\n", encoding="utf-8")
        with pytest.raises(Exception) as exc:
            call_command("complaints", "import", str(f))
        assert getattr(exc.value, "returncode", None) == 2 and "缺少必需的列" in str(exc.value)
        empty = tmp_path / "e.csv"
        empty.write_bytes(b"")
        with pytest.raises(Exception) as exc:
            call_command("complaints", "import", str(empty))
        assert getattr(exc.value, "returncode", None) == 2
        assert Complaint.objects.count() == 0

    def test_dry_run_writes_nothing(self, personas, tmp_path):
        f = tmp_path / "gd.csv"
        f.write_text(HEADER + GOOD, encoding="utf-8")
        assert run(f, "--dry-run") == 0 and Complaint.objects.count() == 0

"""Builders for exchange-format files."""

from __future__ import annotations

import csv
import io

import pytest

HEADERS = [
    "主体名称",
    "主体类型",
    "统一社会信用代码",
    "身份证号",
    "所属单位代码",
    "信息类别",
    "严重程度",
    "决定文书号",
    "决定日期",
    "决定机关",
    "失信事实",
    "处理结果",
    "法律依据",
]


@pytest.fixture
def row(reference):
    """One valid row (a list in HEADERS order) about 周村区发展和改革局, as the court submits it."""
    from govcredit.subjects.models import Subject

    uscc = Subject.objects.get(name="周村区发展和改革局").uscc

    def build(n: int = 1, **overrides):
        values = {
            "主体名称": "周村区发展和改革局",
            "主体类型": "部门",
            "统一社会信用代码": uscc,
            "身份证号": "",
            "所属单位代码": "",
            "信息类别": "court_judgment",
            "严重程度": "一般",
            "决定文书号": f"周法民〔2026〕{n}号",
            "决定日期": "2026-06-01",
            "决定机关": "周村区人民法院",
            "失信事实": "拖欠工程款未按判决履行。",
            "处理结果": "责令限期履行",
            "法律依据": "",
        }
        values.update(overrides)
        return [values[h] for h in HEADERS]

    return build


@pytest.fixture
def csv_file(tmp_path):
    """Write rows to a CSV file: csv_file(rows, encoding="utf-8", headers=HEADERS) → path."""

    def write(rows, *, encoding="utf-8", headers=HEADERS, name="records.csv", delimiter=","):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        if headers is not None:
            writer.writerow(headers)
        writer.writerows(rows)
        path = tmp_path / name
        path.write_bytes(buf.getvalue().encode(encoding))
        return path

    return write

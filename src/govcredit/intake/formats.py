"""The exchange format as users read it (DESIGN §5): the rules shown on the upload page, and the
导入模板 (CSV and XLSX with the Chinese headers and one example row)."""

from __future__ import annotations

import csv
import io

from govcredit.records.validation import FIELD_LABELS

# (key, rule) in the order of the template's columns; the header is FIELD_LABELS[key].
RULES: list[tuple[str, str]] = [
    ("subject_name", "必填；须与代码登记的名称、简称或曾用名一致"),
    ("subject_kind", "必填：政府 / 部门 / 公务员 / 企业 / 个人"),
    ("uscc", "单位主体必填，18 位，校验位须正确"),
    ("id_number", "个人主体必填，18 位，校验码须正确；加密保存"),
    ("unit_uscc", "公务员必填：其所在单位的统一社会信用代码"),
    ("item", "必填：目录事项代码或名称，如 court_judgment 或 司法判决"),
    ("severity", "必填：一般 / 较重 / 严重"),
    ("document_no", "必填；与报送单位一起唯一确定一条记录，再次导入按内容更新、不会重复"),
    ("decided_on", "必填：2024-03-05、2024/3/5、2024年3月5日 或 Excel 日期；不能晚于今天"),
    ("decided_by", "必填"),
    ("facts", "必填，不超过 2,000 字"),
    ("outcome", "选填"),
    ("legal_basis", "选填；留空则使用目录中该事项的法律依据"),
]
ENCODINGS = "CSV（UTF-8、带 BOM 的 UTF-8、GBK 或 GB18030，自动识别）或 XLSX（第一个工作表）；第一行为表头"


def headers() -> list[str]:
    return [FIELD_LABELS[key] for key, _ in RULES]


def rules() -> list[dict[str, str]]:
    return [{"header": FIELD_LABELS[key], "key": key, "rule": rule} for key, rule in RULES]


def example_row() -> list[str]:
    """One row a court clerk would write, about a department registered in the reference data."""
    from govcredit.subjects.models import Subject

    subject = Subject.objects.filter(name="周村区发展和改革局").only("uscc").first()
    uscc = subject.uscc if subject and subject.uscc else "11370306MB2852174X"
    values = {
        "subject_name": "周村区发展和改革局",
        "subject_kind": "部门",
        "uscc": uscc,
        "id_number": "",
        "unit_uscc": "",
        "item": "court_judgment",
        "severity": "一般",
        "document_no": "（2026）鲁0306民初123号",
        "decided_on": "2026-06-01",
        "decided_by": "周村区人民法院",
        "facts": "未按生效判决支付工程款 120,000.00 元。",
        "outcome": "责令限期履行",
        "legal_basis": "",
    }
    return [values[key] for key, _ in RULES]


def template_csv() -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerow(example_row())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from govcredit.core.spreadsheets import xlsx_bytes

    return xlsx_bytes("信用记录导入模板", headers(), [example_row()])

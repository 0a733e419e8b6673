"""XLSX import of a 合同台账: one row per obligation, rows with the same 合同编号 form one contract.
Every problem is reported by row (spreadsheet line, first data row = 2) and column (the Chinese header);
one problem anywhere and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from govcredit.accounts.permissions import Access
from govcredit.core.errors import ValidationFailed
from govcredit.core.spreadsheets import read_sheet_rows

from . import services

CONTRACT_COLUMNS = {
    "合同编号": "number",
    "合同名称": "title",
    "合同类型": "kind",
    "政府方": "government",
    "采购人性质": "purchaser_type",
    "相对方统一社会信用代码": "counterparty_uscc",
    "相对方名称": "counterparty_name",
    "企业规模": "counterparty_scale",
    "签订日期": "signed_on",
    "合同金额": "amount",
    "约定逾期日利率": "interest_rate_daily",
}
OBLIGATION_COLUMNS = {
    "义务类型": "kind",
    "义务内容": "title",
    "义务金额": "amount",
    "期限规则": "due_rule",
    "约定日期": "fixed_due_on",
    "起算事件": "trigger",
    "期限（日）": "days",
    "期限（月）": "months",
    "交付日期": "delivered_on",
    "约定验收期（日）": "acceptance_days",
    "验收日期": "accepted_on",
}
CONTRACT_HEADER = {v: k for k, v in CONTRACT_COLUMNS.items()}
OBLIGATION_HEADER = {v: k for k, v in OBLIGATION_COLUMNS.items()}
REQUIRED = (
    "合同编号",
    "合同名称",
    "合同类型",
    "政府方",
    "相对方统一社会信用代码",
    "企业规模",
    "签订日期",
    "合同金额",
)


@dataclass
class Problem:
    row: int
    column: str
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    contracts: int = 0
    obligations: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)


def import_workbook(data: bytes, *, access: Access, dry_run: bool = False) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    try:
        headers, rows = read_sheet_rows(data, what="合同台账")
    except ValidationFailed as exc:
        result.problems.append(Problem(1, "文件", exc.message))
        return result
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        result.problems += [Problem(1, h, "缺少该列") for h in missing]
        return result
    access.require(services.can_register(access), "您没有导入合同台账的权限")
    groups: dict[str, list[tuple[int, dict]]] = {}
    for line, values in rows:
        number = str(values.get("合同编号") or "").strip()
        if not number:
            result.problems.append(Problem(line, "合同编号", "必须填写"))
            continue
        groups.setdefault(number, []).append((line, values))
    payloads = []
    for lines in groups.values():
        first_line, first = lines[0]
        data_dict = {key: first.get(header) for header, key in CONTRACT_COLUMNS.items()}
        for line, values in lines[1:]:
            for header in CONTRACT_COLUMNS:
                if values.get(header) not in (None, "") and values.get(header) != first.get(header):
                    result.problems.append(
                        Problem(
                            line, header, f"与第{first_line}行同一合同的取值不一致", str(values.get(header))
                        )
                    )
        obligation_lines = []
        data_dict["obligations"] = []
        for line, values in lines:
            if any(values.get(h) not in (None, "") for h in OBLIGATION_COLUMNS):
                data_dict["obligations"].append(
                    {key: values.get(header) for header, key in OBLIGATION_COLUMNS.items()}
                )
                obligation_lines.append(line)
        try:
            services.clean_contract(data_dict)
        except ValidationFailed as exc:
            for field_name, messages in exc.field_errors.items():
                line, column, value = (
                    first_line,
                    CONTRACT_HEADER.get(field_name, "合同"),
                    first.get(CONTRACT_HEADER.get(field_name, ""), ""),
                )
                if field_name.startswith("obligations."):
                    parts = field_name.split(".")
                    if len(parts) == 3 and parts[1].isdigit():
                        line = obligation_lines[int(parts[1])]
                        column = OBLIGATION_HEADER.get(parts[2], parts[2])
                        value = dict(lines)[line].get(column, "")
                    else:
                        column = "义务金额"
                for message in messages:
                    result.problems.append(
                        Problem(line, column, message, "" if value is None else str(value))
                    )
        payloads.append(data_dict)
    if result.problems:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return result
    result.contracts = len(payloads)
    result.obligations = sum(len(p["obligations"]) for p in payloads)
    if dry_run:
        return result
    with transaction.atomic():
        for payload in payloads:
            services.create_contract(payload, access=access)
    return result

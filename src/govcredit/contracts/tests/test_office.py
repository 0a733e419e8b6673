"""Back-office pages: register by form, detail, arrears with aging buckets, due-soon, exports, import."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from govcredit.contracts import duties as contract_duties
from govcredit.contracts.models import ContractRule, GovContract, Obligation

from .conftest import SUPPLIER_USCC, days_before

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_a_contract_by_form(personas, supplier):
    client = login(personas.finance)
    assert client.get("/office/contracts/new/").status_code == 200
    form = {
        "number": "ZC-F-1",
        "title_contract": "区住建局办公设备采购",
        "contract_kind": "procurement",
        "government": "区住建局",
        "counterparty_uscc": SUPPLIER_USCC,
        "counterparty_scale": "small",
        "signed_on": "2026-02-01",
        "contract_amount": "50000",
        "kind": "payment",
        "amount": "50000",
        "trigger": "acceptance",
        "accepted_on": "2026-03-02",
        "days": "90",
    }
    refused = client.post("/office/contracts/new/", form)
    assert refused.status_code == 200 and "第九条" in refused.content.decode()
    assert not GovContract.objects.exists()
    form["days"] = "30"
    response = client.post("/office/contracts/new/", form)
    assert response.status_code == 302
    contract = GovContract.objects.get()
    assert contract.obligations.get().due_on.isoformat() == "2026-04-01"
    page = client.get(f"/office/contracts/{contract.pk}/").content.decode()
    assert "2026-04-01" in page and "验收之日" in page


def test_lists_pages_and_exports(personas, make_contract, today):
    ContractRule.objects.filter(key="arrears_grace_days").update(value=5)
    make_contract(
        obligations=[
            {
                "kind": "payment",
                "amount": "100000",
                "due_rule": "fixed",
                "fixed_due_on": days_before(today, 10),
            }
        ]
    )
    make_contract(
        number="ZC-2",
        obligations=[
            {"kind": "payment", "amount": "1000", "due_rule": "fixed", "fixed_due_on": today.isoformat()}
        ],
    )
    contract_duties.scan(today)
    client = login(personas.finance)
    arrears = client.get("/office/contracts/arrears/?state=open").content.decode()
    assert "账龄 1–30日" in arrears and "500.00" in arrears
    export = client.get("/office/contracts/arrears/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    due = client.get("/office/contracts/due-soon/").content.decode()
    assert "ZC-2" in due and "ZCCG-2026-001" not in due
    assert client.get("/office/contracts/?export=xlsx").status_code == 200
    assert client.get("/office/contracts/due-soon/?export=xlsx").status_code == 200
    # another unit's clerk sees none of the paying unit's arrears (the count of "QQ" it had matched
    # random CSRF tokens now and then)
    other = login(personas.court).get("/office/contracts/arrears/").content.decode()
    assert "ZCCG-2026-001" not in other and "500.00" not in other


def _workbook(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "合同编号",
            "合同名称",
            "合同类型",
            "政府方",
            "相对方统一社会信用代码",
            "企业规模",
            "签订日期",
            "合同金额",
            "义务类型",
            "义务金额",
            "起算事件",
            "期限（日）",
            "验收日期",
        ]
    )
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_reports_problems_by_row_and_column_and_saves_nothing(personas, supplier):
    from govcredit.contracts.importer import import_workbook

    access = personas.access(personas.finance)
    data = _workbook(
        [
            [
                "T-1",
                "台账合同一",
                "政府采购合同",
                "区住建局",
                SUPPLIER_USCC,
                "小型企业",
                "2026-01-05",
                200000,
                "付款",
                100000,
                "验收",
                30,
                "2026-03-02",
            ],
            [
                "T-1",
                "台账合同一",
                "政府采购合同",
                "区住建局",
                SUPPLIER_USCC,
                "小型企业",
                "2026-01-05",
                200000,
                "付款",
                100000,
                "验收",
                90,
                "2026-03-02",
            ],
            [
                "T-2",
                "台账合同二",
                "政府采购合同",
                "区不存在局",
                "91370306MA00000000",
                "小型企业",
                "2026-01-05",
                1000,
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    result = import_workbook(data, access=access)
    where = {(p.row, p.column) for p in result.problems}
    assert (3, "期限（日）") in where  # Art 9
    assert (4, "政府方") in where and (4, "相对方统一社会信用代码") in where
    assert not GovContract.objects.exists()

    good = _workbook(
        [
            [
                "T-1",
                "台账合同一",
                "政府采购合同",
                "区住建局",
                SUPPLIER_USCC,
                "小型企业",
                "2026-01-05",
                200000,
                "付款",
                100000,
                "验收",
                30,
                "2026-03-02",
            ],
            [
                "T-1",
                "台账合同一",
                "政府采购合同",
                "区住建局",
                SUPPLIER_USCC,
                "小型企业",
                "2026-01-05",
                200000,
                "付款",
                100000,
                "验收",
                45,
                "2026-03-02",
            ],
        ]
    )
    assert (
        import_workbook(good, access=access, dry_run=True).contracts == 1 and not GovContract.objects.exists()
    )
    result = import_workbook(good, access=access)
    assert result.contracts == 1 and result.obligations == 2 and not result.problems
    assert sorted(Obligation.objects.values_list("due_on", flat=True))[0].isoformat() == "2026-04-01"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("合同台账.xlsx", data)
    page = login(personas.finance).post("/office/contracts/import/", {"file": upload}).content.decode()
    assert "未导入任何合同" in page and "区不存在局" in page


def test_the_shell_shows_menu_and_tiles(personas, make_contract):
    page = login(personas.finance).get("/office/").content.decode()
    assert "政府合同" in page and "清欠台账" in page and "付款即将到期" in page

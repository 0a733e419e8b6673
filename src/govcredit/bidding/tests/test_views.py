import datetime as dt
import io

from django.test import Client
from openpyxl import Workbook, load_workbook

from govcredit.bidding.models import BlacklistEntry


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_pages_submit_list_export_and_batch_check(personas, centre_clerk, firm):
    clerk = login(centre_clerk)
    assert clerk.get("/office/bidding/").status_code == 200
    form = {
        "source_unit": "市公共资源交易中心周村分中心",
        "subject_name": firm.name,
        "subject_kind": "企业",
        "uscc": firm.uscc,
        "violation": "fraud",
        "facts": "提供虚假业绩。",
        "legal_basis": "",
        "outcome": "",
        "severity": "严重",
        "document_no": "淄周公交罚〔2026〕9号",
        "decided_on": str(dt.date.today()),
        "decided_by": "淄博市公共资源交易中心周村分中心",
        "restriction_months": "24",
    }
    page = clerk.post("/office/bidding/violations/new/", form).content.decode()
    assert "须填写处理结果（处理决定）" in page  # the field error, nothing saved
    answer = clerk.post("/office/bidding/violations/new/", {**form, "outcome": "取消其2年投标资格"})
    assert answer.status_code == 302
    from govcredit.records import services as records
    from govcredit.records.models import CreditRecord

    records.approve_record(CreditRecord.objects.get(), access=personas.access(personas.reviewer))
    assert BlacklistEntry.objects.count() == 1
    assert firm.name in clerk.get("/office/bidding/?state=listed").content.decode()
    book = load_workbook(io.BytesIO(clerk.get("/office/bidding/?state=archived&export=1").content))
    assert book.active.max_row == 1  # exactly what is filtered: nothing archived yet
    for path in ("/office/bidding/roles/", "/office/bidding/evaluations/", "/office/bidding/reports/"):
        assert clerk.get(path).status_code == 200

    office = login(personas.office)
    wb = Workbook()
    wb.active.append(["统一社会信用代码"])
    wb.active.append([firm.uscc])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    answer = office.post(
        "/office/bidding/checks/", {"project_name": "城北路工程", "opening_on": "2026-12-08", "file": buffer}
    )
    assert answer.status_code == 302
    detail = office.get(answer["Location"]).content.decode()
    assert "受限" in detail and "打印（评标委员会）" in detail
    pdf = office.get(answer["Location"] + "1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(personas.court).get("/office/bidding/").status_code == 403


def test_menu_and_tiles(personas, centre_clerk, firm):
    from govcredit.bidding import services
    from govcredit.office.registry import menu_for, tiles_for

    services.register_report(
        firm,
        {
            "agency": "山东鲁信信用评估有限公司",
            "report_no": "R-9",
            "grade": "A",
            "issued_on": "2026-01-01",
            "valid_until": "2027-01-01",
        },
        access=personas.access(centre_clerk),
    )
    assert "bidding" in [m.key for _, m in menu_for(personas.access(centre_clerk))]
    assert "bidding" not in [m.key for _, m in menu_for(personas.access(personas.court))]
    assert {t.label: t.count for t in tiles_for(personas.access(personas.office))}[
        "第三方信用报告待核验"
    ] == 1
    assert {t.label: t.count for t in tiles_for(personas.access(centre_clerk))}["第三方信用报告待核验"] == 0

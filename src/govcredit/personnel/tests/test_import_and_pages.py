"""Points 1 and 3: the XLSX import, the file pages (masked, audited unmasking), training deficits,
reminders, integrity-education attendance, the menu, the tile and the API."""

import datetime as dt

import pytest
from django.urls import reverse

from govcredit.core.ledger import AuditEntry
from govcredit.office.registry import menu_for, tiles_for
from govcredit.personnel import services
from govcredit.personnel.importer import import_xlsx
from govcredit.personnel.models import AnnualReview, PersonnelFile, TrainingRecord

TRAINING = [
    "身份证号",
    "姓名",
    "职级层次",
    "培训类型",
    "培训名称",
    "开始日期",
    "学时",
    "天数",
    "证书编号",
    "出勤",
]


@pytest.fixture
def two(servant, hr_access, xlsx):
    """Two civil servants: one with 96 学时 in 2025, one with 40 学时 (and an absent integrity course)."""
    a, b = servant(), servant(name="赵晓东", serial=654)
    rows = [
        [
            a.plain_id,
            a.name,
            "乡科级及以下",
            "在职",
            "业务能力提升班",
            dt.date(2025, 4, 1),
            80,
            10,
            "PX-1",
            "出勤",
        ],
        [a.plain_id, a.name, "", "诚信教育", "政务诚信专题课", dt.date(2025, 6, 5), 16, 2, "", "出勤"],
        [b.plain_id, b.name, "", "初任", "新录用公务员初任培训", dt.date(2025, 3, 1), 40, 5, "CR-9", ""],
        [b.plain_id, b.name, "", "诚信教育", "政务诚信专题课", dt.date(2025, 6, 5), 16, 2, "", "缺勤"],
    ]
    result = import_xlsx(hr_access, "training", xlsx(TRAINING, rows), source="区人社局")
    assert not result.problems and result.created == 4
    return a, b


@pytest.mark.django_db
def test_import_reports_problems_by_row_and_column_and_saves_nothing(servant, hr_access, xlsx):
    a = servant()
    rows = [
        [a.plain_id, a.name, "", "在职", "班次一", "2025-04-01", 10, 1, "", ""],
        ["370306198001010000", "某某", "", "在职", "班次二", "2025-13-01", -3, 0, "", ""],
        [a.plain_id, "错名", "", "进修", "", "2025-04-01", 10, 0, "", ""],
    ]
    result = import_xlsx(hr_access, "training", xlsx(TRAINING, rows))
    got = {(p.line, p.column) for p in result.problems}
    assert {
        (3, "身份证号"),
        (3, "开始日期"),
        (3, "学时"),
        (4, "姓名"),
        (4, "培训类型"),
        (4, "培训名称"),
    } <= got
    assert all("370306198001010000" not in p.raw for p in result.problems)  # masked even in problems
    assert TrainingRecord.objects.count() == 0 and PersonnelFile.objects.count() == 0
    assert "未保存任何数据" in result.message
    missing = import_xlsx(hr_access, "review", xlsx(["身份证号", "考核年度"], [[a.plain_id, 2025]]))
    assert missing.problems[0].column == "表头" and "考核等次" in missing.problems[0].reason


@pytest.mark.django_db
def test_reimport_updates_and_is_audited(servant, hr_access, xlsx):
    a = servant()
    content = xlsx(["身份证号", "考核年度", "考核等次"], [[a.plain_id, 2025, "称职"]])
    assert import_xlsx(hr_access, "review", content).created == 1
    again = import_xlsx(
        hr_access, "review", xlsx(["身份证号", "考核年度", "考核等次"], [[a.plain_id, 2025, "优秀"]])
    )
    assert again.updated == 1 and AnnualReview.objects.get().grade == "excellent"
    assert AuditEntry.objects.filter(action="govcredit.personnel.imported").count() == 2


@pytest.mark.django_db
def test_only_hr_units_may_import(servant, personas, xlsx):
    from govcredit.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_xlsx(personas.access(personas.court), "review", xlsx(["身份证号"], []))


@pytest.mark.django_db
def test_list_masks_filters_exports_and_refuses_outsiders(client, personas, two, discipline, nav_queries):
    a, b = two
    discipline(b, decided_on=dt.date.today() - dt.timedelta(days=30))
    client.force_login(personas.hr)
    url = reverse("personnel:list")
    page = client.get(url).content.decode()
    assert a.id_masked in page and a.plain_id not in page and a.name not in page
    assert "处分期内" in page and f"{dt.date.today().year - 1}年培训学时不足" in page
    only = client.get(url, {"flag": "discipline"}).content.decode()
    assert b.id_masked in only and a.id_masked not in only
    by_id = client.get(url, {"q": a.plain_id}).content.decode()
    assert a.id_masked in by_id and b.id_masked not in by_id
    export = client.get(url, {"flag": "discipline", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in ws[2]][1] == b.id_masked and ws.max_row == 2
    client.force_login(personas.court)
    denied = client.get(url)
    assert denied.status_code == 403 and "区委组织部" in denied.content.decode()
    assert AuditEntry.objects.filter(action="govcredit.personnel.view_denied").exists()
    client.force_login(personas.hr)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = nav_queries(personas.hr)
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    assert len(q) - base <= 22, len(q)


@pytest.mark.django_db
def test_detail_shows_the_file_and_unmasking_is_audited(client, personas, two, discipline):
    a, _b = two
    record = discipline(a, decided_on=dt.date.today() - dt.timedelta(days=10))
    file = PersonnelFile.objects.get(subject=a)
    client.force_login(personas.hr)
    url = reverse("personnel:detail", args=[file.pk])
    page = client.get(url).content.decode()
    assert a.plain_id not in page and a.id_masked in page
    assert f"#{record.pk}" in page and "处分期内" in page and "第六十四条" in page
    assert "96.0 学时" in page and "政务诚信专题课" in page
    assert "查看完整姓名和身份证号" not in page  # hr has no unmask right
    assert client.post(url, {"reveal": "1"}).status_code == 403
    client.force_login(personas.office)  # the credit office may unmask
    shown = client.post(url, {"reveal": "1"}).content.decode()
    assert a.plain_id in shown and a.name in shown
    assert AuditEntry.objects.filter(action="govcredit.pii.unmasked", actor=personas.office).count() == 1
    assert client.get(reverse("personnel:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_training_deficits_listed_reminded_once_and_in_the_api(client, personas, two, hr_access):
    a, b = two
    qs, rule = services.training_deficits(hr_access, 2025)
    assert [p.subject_id for p in qs] == [b.pk] and rule.hours == 90
    assert services.training_deficits(hr_access, 2024)[0].count() == 2  # nothing at all that year
    client.force_login(personas.hr)
    page = client.get(reverse("personnel:deficits"), {"year": 2025}).content.decode()
    assert b.id_masked in page and a.id_masked not in page and "未提醒" in page
    assert "90" in page and "干部教育培训工作条例" in page
    r = client.post(reverse("personnel:remind") + "?year=2025")
    assert r.status_code == 302
    assert services.remind_deficits(hr_access, 2025) == 0  # once per person and year
    assert "已提醒" in client.get(reverse("personnel:deficits"), {"year": 2025}).content.decode()
    from govcredit.accounts.services import create_token

    def bearer(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, name='测试')[1]}"}

    api = client.get("/api/v1/personnel/training-deficits", {"year": 2025}, **bearer(personas.hr))
    assert api.status_code == 200, api.content
    body = api.json()
    assert body["count"] == 1 and body["items"][0]["hours"] == "40.0" and body["items"][0]["reminded"] is True
    assert body["items"][0]["id_number"] == b.id_masked and body["required_hours"] == "90.0"
    court = bearer(personas.court)
    assert client.get("/api/v1/personnel/training-deficits", {"year": 2025}, **court).status_code == 403
    files = client.get("/api/v1/personnel/files", {"flag": "deficit"}, **bearer(personas.hr)).json()
    assert files["count"] == 1 and files["items"][0]["flags"] == ["2025年培训学时不足"]
    assert client.get("/api/v1/personnel/files/0", **bearer(personas.hr)).status_code == 404


@pytest.mark.django_db
def test_integrity_courses_with_attendance(client, personas, two):
    a, b = two
    client.force_login(personas.hr)
    page = client.get(reverse("personnel:courses")).content.decode()
    assert "政务诚信专题课" in page and "50%" in page
    course = services.courses_with_attendance().get()
    detail = client.get(reverse("personnel:courses"), {"course": course.pk}).content.decode()
    assert a.id_masked in detail and b.id_masked in detail and "缺勤" in detail
    assert client.get(reverse("personnel:rules")).status_code == 200


@pytest.mark.django_db
def test_import_page_shows_problems(client, personas, servant, xlsx):
    a = servant()
    client.force_login(personas.hr)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = xlsx(["身份证号", "考核年度", "考核等次"], [[a.plain_id, 2025, "良好"]])
    page = client.post(
        reverse("personnel:import"), {"kind": "review", "file": SimpleUploadedFile("k.xlsx", bad)}
    ).content.decode()
    assert "考核等次" in page and "优秀、称职、基本称职、不称职" in page and "未保存任何数据" in page
    client.force_login(personas.auditor)
    assert client.get(reverse("personnel:import")).status_code == 403


@pytest.mark.django_db
def test_menu_tile_and_badge(personas, two):
    hr = personas.access(personas.hr)
    assert [m.key for _, m in menu_for(hr) if m.key == "personnel"] == ["personnel"]
    tile = [t for t in tiles_for(hr) if t.label == "培训学时不足待提醒"]
    assert tile and tile[0].count == 1
    services.remind_deficits(hr, dt.date.today().year - 1)
    from govcredit.accounts.models import User

    hr = personas.access(User.objects.get(pk=personas.hr.pk))  # a new request: counts afresh
    assert [t for t in tiles_for(hr) if t.label == "培训学时不足待提醒"][0].count == 0
    court = personas.access(personas.court)
    assert not [m for _, m in menu_for(court) if m.key == "personnel"]
    assert not [t for t in tiles_for(court) if t.label == "培训学时不足待提醒"]

import io

import pytest
from openpyxl import load_workbook

from govcredit.keytasks import office
from govcredit.keytasks.models import TaskReport


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def test_list_filters_export_and_budget(tracked, personas, login, django_assert_max_num_queries, nav_queries):
    c = login(personas.office)
    page = c.get("/office/keytasks/")
    assert page.status_code == 200 and "加强公务员诚信教育" in page.content.decode()
    assert "共 18 项任务" in page.content.decode()
    finance = c.get("/office/keytasks/?lead_unit=区财政局").content.decode()
    assert "共 3 项任务" in finance
    assert "未找到单位" in c.get("/office/keytasks/?lead_unit=区不存在局").content.decode()
    assert "共 18 项任务" in c.get("/office/keytasks/?overdue=1").content.decode()
    assert "没有符合筛选条件" in c.get("/office/keytasks/?status=completed").content.decode()
    export = c.get("/office/keytasks/?lead_unit=区财政局&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and [r[0] for r in rows[1:]] == [8, 9, 13]
    with django_assert_max_num_queries(12 + nav_queries(personas.office)):
        c.get("/office/keytasks/")
    assert c.get("/office/keytasks/19/").status_code == 404
    assert login(personas.outsider).get("/office/keytasks/").status_code == 403


def test_report_form_and_timeline(tracked, personas, login, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(personas.finance)
    assert c.get("/office/keytasks/13/report/").status_code == 200
    assert c.get("/office/keytasks/5/report/").status_code == 403  # 区财政局 does not lead task 5
    bad = c.post("/office/keytasks/13/report/", {"period": "2026H1", "progress": "on_track", "summary": ""})
    assert bad.status_code == 422 and "请填写工作进展" in bad.content.decode()
    assert "至少一份" in bad.content.decode() and TaskReport.objects.count() == 0
    f = SimpleUploadedFile("台账.pdf", pdf, content_type="application/pdf")
    ok = c.post(
        "/office/keytasks/13/report/",
        {"period": "2026H1", "progress": "on_track", "summary": "债务信息已按季度公开。", "evidence": [f]},
    )
    assert ok.status_code == 302
    detail = c.get("/office/keytasks/13/").content.decode()
    assert "债务信息已按季度公开。" in detail and "逾期报送" in detail and "台账.pdf" in detail
    ev = TaskReport.objects.get().evidence.get()
    assert c.get(f"/office/keytasks/evidence/{ev.pk}/").status_code == 200
    assert login(personas.court).get(f"/office/keytasks/evidence/{ev.pk}/").status_code == 404
    table = c.get("/tasks/").content.decode()
    assert "债务信息已按季度公开" in table and table.count("<tr>") == 19


def test_menu_tiles_badges(tracked, personas):
    from govcredit.office.registry import menu_for, tiles_for

    finance = personas.access(personas.finance)
    assert any(entry.key == "keytasks" for _app, entry in menu_for(finance))
    tiles = {t.label: t.count for t in tiles_for(finance)}
    assert tiles["重点任务进展逾期未报"] == 4  # tasks 8, 9, 13: 2026H1 reports; task 13's completion
    assert office.badges(finance) == {"keytasks_overdue": 4}
    office_access = personas.access(personas.office)
    assert {t.label: t.count for t in tiles_for(office_access)}["重点任务存在逾期"] == 18
    assert office.menu(personas.access(personas.outsider)) == []


def test_public_table_has_18_rows(tracked, client):
    page = client.get("/tasks/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<tr>") == 19
    assert "涉及法律、行政法规的" in html and "2018年12月底前完成" in html

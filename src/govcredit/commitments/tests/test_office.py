"""Back office 承诺践诺: list/filters/export, register form, detail forms, board, reminders, 承诺书, menu
and tiles."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from govcredit.accounts.models import User
from govcredit.commitments import board, services
from govcredit.commitments.models import Commitment, CommitmentChange, CommitmentRule
from govcredit.disputes.models import Notification
from govcredit.office.registry import menu_for, tiles_for

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def made(personas, commitment_data):
    hr = personas.access(personas.hr)
    office = personas.access(personas.office)
    c = services.create_commitment(commitment_data(), access=hr)
    services.publish(c, access=office)
    draft = services.create_commitment(
        commitment_data(title="社区养老服务站覆盖率达到90%", metric="percent", target="90", baseline="70"),
        access=hr,
    )
    return Commitment.objects.get(pk=c.pk), draft


def test_list_filters_export_and_scope(made, personas, django_assert_max_num_queries, nav_queries):
    published, draft = made
    client = login(personas.office)
    with django_assert_max_num_queries(14 + nav_queries(personas.office)):
        r = client.get("/office/commitments/")
    assert r.status_code == 200
    page = r.content.decode()
    assert published.code in page and draft.code in page and "导出 Excel" in page
    r = client.get("/office/commitments/", {"status": "draft"})
    assert draft.code in r.content.decode() and published.code not in r.content.decode()
    r = client.get("/office/commitments/", {"due": "overdue"})  # due 2026-06-30, no final report
    assert published.code in r.content.decode() and draft.code not in r.content.decode()
    r = client.get("/office/commitments/", {"q": "没有这种承诺"})
    assert "没有符合筛选条件的承诺" in r.content.decode()
    r = client.get("/office/commitments/", {"status": "published", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "承诺编号" and len(rows) == 2 and rows[1][0] == published.code
    assert rows[1][10] == "不低于4,500人" and rows[1][19] == "是"
    # the court sees none of 区人社局's commitments, and its detail answers 404
    assert published.code not in login(personas.court).get("/office/commitments/").content.decode()
    assert login(personas.court).get(f"/office/commitments/{published.pk}/").status_code == 404


def test_empty_state(personas):
    r = login(personas.hr).get("/office/commitments/")
    assert r.status_code == 200 and "还没有登记承诺" in r.content.decode()


def test_outsider_without_unit_is_refused(personas):
    assert login(personas.outsider).get("/office/commitments/").status_code == 403


def test_register_form_shows_chinese_field_errors_and_saves_nothing(personas):
    client = login(personas.hr)
    before = Commitment.objects.count()
    r = client.post(
        "/office/commitments/new/",
        {
            "kind": "development_target",
            "title": "城镇新增就业",
            "subject": "不存在的单位",
            "source_type": "work_report",
            "metric": "quantity",
            "direction": "increase",
            "target": "四千五",
            "start_on": "2026-06-01",
            "due_on": "2026-01-01",
            "cadence": "quarterly",
            "public": "on",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "未登记" in page and "应为数字" in page and "不能早于起始日期" in page
    assert Commitment.objects.count() == before
    r = client.post(
        "/office/commitments/new/",
        {
            "kind": "town_public",
            "title": "就业服务窗口当日受理",
            "subject": "周村区人力资源和社会保障局",
            "source_type": "other",
            "metric": "boolean",
            "direction": "increase",
            "start_on": "2026-01-01",
            "due_on": "2026-12-31",
            "cadence": "half_yearly",
            "areas": ["就业", "便民服务"],
            "public": "on",
        },
    )
    assert r.status_code == 302
    c = Commitment.objects.get(title="就业服务窗口当日受理")
    assert c.status == "draft" and c.areas == ["就业", "便民服务"]


def test_detail_workflow_through_the_forms(made, personas):
    published, draft = made
    office, hr = login(personas.office), login(personas.hr)
    r = office.get(f"/office/commitments/{draft.pk}/")
    assert "公示承诺" in r.content.decode()
    assert hr.post(f"/office/commitments/{draft.pk}/publish/").status_code == 302
    assert Commitment.objects.get(pk=draft.pk).status == "draft"  # hr may not publish
    office.post(f"/office/commitments/{draft.pk}/publish/")
    assert Commitment.objects.get(pk=draft.pk).status == "published"
    # goal-post lock: without a reason nothing changes and the page says why
    r = office.post(f"/office/commitments/{published.pk}/change/", {"target": "4300"}, follow=True)
    assert "变更理由" in r.content.decode() and CommitmentChange.objects.count() == 0
    office.post(
        f"/office/commitments/{published.pk}/change/",
        {
            "target": "4300",
            "change_reason": "经区政府常务会议研究调整",
            "approving_document": "周政字〔2026〕45号",
        },
    )
    page = office.get(f"/office/commitments/{published.pk}/").content.decode()
    assert "<del>不低于4,500人</del>" in page and "不低于4,300人" in page
    hr.post(
        f"/office/commitments/{published.pk}/reports/",
        {"final": "on", "value": "4000", "narrative": "全年新增就业4000人。"},
    )
    r = office.post(
        f"/office/commitments/{published.pk}/assess/",
        {"outcome": "not_fulfilled", "reason": "新增就业未达目标"},
        follow=True,
    )
    assert "已生成失信线索" in r.content.decode()
    assert Commitment.objects.get(pk=published.pk).status == "not_fulfilled"


def test_pledge_pdf_has_chinese_fonts(made, personas, tmp_path):
    published, draft = made
    client = login(personas.office)
    assert client.get(f"/office/commitments/{draft.pk}/pledge.pdf").status_code == 403
    r = client.get(f"/office/commitments/{published.pk}/pledge.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    import shutil
    import subprocess

    if shutil.which("pdffonts"):
        path = tmp_path / "pledge.pdf"
        path.write_bytes(r.content)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "WenQuanYi" in fonts or "CJK" in fonts


def test_board_by_unit_and_reminders(made, personas):
    published, _draft = made
    User.objects.filter(pk=personas.hr.pk).update(email="hr@zhoucun.gov.cn", phone="13800000001")
    client = login(personas.office)
    r = client.get("/office/commitments/board/")
    page = r.content.decode()
    assert r.status_code == 200 and "周村区人力资源和社会保障局" in page and "承诺已逾期" in page
    hr_unit = personas.unit("区人社局")
    assert login(personas.hr).post(f"/office/commitments/board/{hr_unit.pk}/remind/").status_code == 403
    before = Notification.objects.count()
    r = client.post(f"/office/commitments/board/{hr_unit.pk}/remind/", follow=True)
    assert "已向周村区人力资源和社会保障局发送提醒 2 条" in r.content.decode()
    notes = Notification.objects.all()[: Notification.objects.count() - before]
    assert {n.channel for n in notes} == {"email", "sms"}
    assert any(published.code in n.body for n in notes)
    # a unit with nothing due gets a clear refusal, no message
    court = personas.unit("区法院")
    r = client.post(f"/office/commitments/board/{court.pk}/remind/", follow=True)
    assert "无需提醒" in r.content.decode() and Notification.objects.count() == before + 2


def test_menu_tiles_and_badges(made, personas):
    keys = [e.key for _app, e in menu_for(personas.access(personas.office))]
    assert "commitments" in keys and "commitments_board" in keys
    assert not [
        e for _a, e in menu_for(personas.access(personas.outsider)) if e.key.startswith("commitments")
    ]
    tiles = {t.label: t.count for t in tiles_for(personas.access(personas.hr))}
    assert tiles["承诺已逾期"] == 1
    tiles = {t.label: t.count for t in tiles_for(personas.access(personas.court))}
    assert tiles["承诺已逾期"] == 0


def test_due_soon_window_is_the_credit_offices_rule(personas, commitment_data):
    """The board's 即将到期 window is the ⚠ ``due_soon_days`` rule row, not a constant: editing the row
    moves a commitment due in 45 days into (or out of) the window and the tile says the days."""
    hr = personas.access(personas.hr)
    due = timezone.localdate() + dt.timedelta(days=45)
    c = services.create_commitment(commitment_data(due_on=due.isoformat()), access=hr)
    services.publish(c, access=personas.access(personas.office))
    row = CommitmentRule.objects.get(key="due_soon_days")
    assert row.value == 30 and row.legal_status == "local_choice" and "本区自定" in row.source
    assert board.due_soon_count(hr) == 0
    CommitmentRule.objects.filter(key="due_soon_days").update(value=60)
    assert board.due_soon_count(hr) == 1
    tiles = {t.label: t for t in tiles_for(personas.access(personas.hr))}
    assert tiles["承诺即将到期"].count == 1 and "60日内到期" in tiles["承诺即将到期"].hint

"""Back-office pages and 信用周村 pages of supervision: roles, filters, export, 督办单 PDF, menu and tiles."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from govcredit.supervision import complaints
from govcredit.supervision.models import Complaint


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def handled(filed, personas, people):
    office = personas.access(personas.office)
    c = complaints.assign(complaints.accept(filed(), access=office), access=office)
    Complaint.objects.filter(pk=c.pk).update(deadline=dt.date(2026, 1, 5))
    c.refresh_from_db()
    return c


@pytest.mark.django_db
class TestComplaintPages:
    def test_office_list_filters_and_export(self, personas, people, handled, filed):
        filed(category="petition", content="某街道承诺的拆迁补偿款至今未兑现，已经拖欠一年。")
        client = login(personas.office)
        page = client.get(reverse("supervision:complaints"))
        assert page.status_code == 200 and "投诉举报台账" in page.content.decode()
        page = client.get(reverse("supervision:complaints"), {"category": "petition"})
        assert page.context["page_obj"].paginator.count == 1
        page = client.get(reverse("supervision:complaints"), {"overdue": "1"})
        assert [c.pk for c in page.context["page_obj"].object_list] == [handled.pk]
        export = client.get(reverse("supervision:complaints"), {"overdue": "1", "export": "xlsx"})
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
        assert len(rows) == 2 and rows[1][0] == handled.tracking_code

    def test_the_unit_page_shows_no_identity(self, people, handled):
        page = login(people.zj).get(reverse("supervision:complaint", args=[handled.pk]))
        body = page.content.decode()
        assert page.status_code == 200 and "提交答复" in body
        assert "张*明" not in body and "138****1234" not in body and "投诉举报人" not in body

    def test_outside_the_scope_is_404_and_office_actions_403(self, personas, people, handled, filed):
        other = filed()
        assert login(people.zj).get(reverse("supervision:complaint", args=[other.pk])).status_code == 404
        r = login(people.zj).post(reverse("supervision:complaint_action", args=[handled.pk, "close"]))
        assert r.status_code == 403
        assert (
            login(people.zj).get(reverse("supervision:complaint_pdf", args=[handled.pk])).status_code == 403
        )

    def test_reply_through_the_page(self, people, handled):
        r = login(people.zj).post(
            reverse("supervision:complaint_action", args=[handled.pk, "reply"]),
            {"reply": "经核查情况属实，已整改完毕。"},
        )
        assert r.status_code == 302
        handled.refresh_from_db()
        assert handled.status == "replied" and handled.replied_late

    def test_a_bad_action_input_is_a_message_not_a_change(self, personas, filed):
        c = filed()
        client = login(personas.office)
        r = client.post(
            reverse("supervision:complaint_action", args=[c.pk, "not_accept"]), {"reason": ""}, follow=True
        )
        assert "请填写不予受理理由" in r.content.decode()
        c.refresh_from_db()
        assert c.status == "received"

    def test_the_notice_pdf_has_chinese_fonts(self, personas, handled, tmp_path):
        r = login(personas.office).get(reverse("supervision:complaint_pdf", args=[handled.pk]))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        out = tmp_path / "n.pdf"
        out.write_bytes(r.content)
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        assert "WenQuanYi" in fonts or "CJK" in fonts
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "周信督" in text and "张三明" not in text and "13800001234" not in text

    def test_statistics_and_overdue_pages(self, personas, people, handled):
        client = login(personas.office)
        page = client.get(reverse("supervision:statistics"))
        assert page.status_code == 200 and "chart.umd.min.js" in page.content.decode()
        assert client.get(reverse("supervision:statistics"), {"month": "bad"}).status_code == 200
        page = client.get(reverse("supervision:overdue"))
        assert handled.tracking_code in page.content.decode()
        assert client.get(reverse("supervision:overdue"), {"export": "xlsx"}).status_code == 200

    def test_import_page(self, personas, tmp_path):
        client = login(personas.office)
        content = "工单号,受理日期,被反映单位,诉求内容\nGD001,2026-11-02,区住建局,反映区住建局承诺的补贴迟迟未发放到位。\n".encode(
            "gbk"
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = client.post(reverse("supervision:import"), {"file": SimpleUploadedFile("a.csv", content)})
        assert r.status_code == 200 and r.context["result"].created == 1, r.context["result"]
        assert Complaint.objects.get().channel == "hotline"

    def test_page_query_budget_is_flat(self, personas, filed, nav_queries, django_assert_max_num_queries):
        for _ in range(3):
            filed()
        client = login(personas.office)
        client.get(reverse("supervision:complaints"))
        with django_assert_max_num_queries(nav_queries(personas.office) + 12):
            client.get(reverse("supervision:complaints"))


@pytest.mark.django_db
class TestOtherPages:
    def test_motion_and_case_pages(self, personas, people):
        for name in (
            "supervision:motions",
            "supervision:cases",
            "supervision:motion_new",
            "supervision:case_new",
        ):
            assert login(personas.office).get(reverse(name)).status_code == 200
        assert login(personas.auditor).get(reverse("supervision:motion_new")).status_code == 403

    def test_menu_and_tiles(self, personas, people, handled):
        from govcredit.office.registry import menu_for, tiles_for

        keys = {e.key for _, e in menu_for(personas.access(personas.office))}
        assert {"sup_complaints", "sup_motions", "sup_cases", "sup_stats", "sup_overdue"} <= keys
        labels = {t.label for t in tiles_for(personas.access(people.zj))}
        assert "投诉举报待办" in labels and "投诉举报逾期" in labels
        assert not [t for t in tiles_for(personas.access(personas.court)) if t.label.startswith("投诉举报")]


@pytest.mark.django_db
class TestPortal:
    def test_file_track_and_refuse(self, personas):
        client = Client()
        page = client.get("/complaints/new/")
        assert page.status_code == 200 and "政务失信投诉举报" in page.content.decode()
        r = client.post(
            "/complaints/new/",
            {
                "kind": "report",
                "category": "integrity",
                "respondent": "区住建局",
                "content": "",
                "anonymous": "1",
            },
        )
        assert "请填写反映内容" in r.content.decode() and Complaint.objects.count() == 0
        r = client.post(
            "/complaints/new/",
            {
                "kind": "report",
                "category": "integrity",
                "respondent": "区住建局",
                "anonymous": "1",
                "content": "区住建局承诺的电梯补贴两年未兑现，请核查。",
            },
        )
        code = Complaint.objects.get().tracking_code
        assert code in r.content.decode()
        assert client.get(f"/complaints/{code}/").status_code == 200
        assert client.get("/complaints/track/", {"code": code.lower()}).status_code == 302
        assert client.get("/complaints/track/", {"code": "abc"}).status_code == 404
        assert client.get("/complaints/TSAAAAAAAAAAAA/").status_code == 404

    def test_typical_case_pages(self, personas):
        assert Client().get("/typical-cases/").status_code == 200
        assert Client().get("/typical-cases/99/").status_code == 404

import pytest

from govcredit.core.models import AuditEntry
from govcredit.sanctions import checks
from govcredit.sanctions.models import Rectification, Sanction


@pytest.mark.django_db
def test_office_pages_render(client, personas, recent):
    record = recent()
    sanction = Sanction.objects.filter(record=record).first()
    task = Rectification.objects.get(record=record)
    client.force_login(personas.office)
    for url in [
        "/office/sanctions/",
        "/office/sanctions/?status=active&disputed=1&q=发改",
        f"/office/sanctions/{sanction.pk}/",
        "/office/sanctions/measures/",
        "/office/sanctions/measures/new/",
        "/office/sanctions/rules/",
        "/office/sanctions/rules/new/",
        f"/office/sanctions/rules/preview/?record={record.pk}",
        "/office/sanctions/rectifications/?overdue=1",
        f"/office/sanctions/rectifications/{task.pk}/",
        "/office/sanctions/notices/",
        "/office/sanctions/referrals/",
        "/office/sanctions/inbox/",
        "/office/checks/",
        "/office/checks/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_check_page_flow_and_pdf(client, personas, recent, dept_subject):
    recent()
    client.force_login(personas.hr)
    response = client.post(
        "/office/checks/new/",
        {"purpose": "award", "reason": "年度评优", "codes": f"{dept_subject.uscc}\nBAD-LINE\n"},
    )
    assert response.status_code == 302
    serial = response["Location"].rstrip("/").rsplit("/", 1)[1]
    page = client.get(f"/office/checks/{serial}/").content.decode()
    assert "受限" in page and "BAD-LINE" in page and "18位" in page
    pdf = client.get(f"/office/checks/{serial}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_check_form_errors_in_chinese(client, personas):
    client.force_login(personas.office)
    page = client.post("/office/checks/new/", {"purpose": "", "reason": "", "codes": ""}).content.decode()
    assert "这个字段是必填项" in page or "必填" in page


@pytest.mark.django_db
def test_unauthorised_check_page_is_403_and_logged(client, personas):
    client.force_login(personas.court)
    assert client.get("/office/checks/new/").status_code == 403
    assert AuditEntry.objects.filter(action="govcredit.check.denied", actor=personas.court).exists()


@pytest.mark.django_db
def test_subject_user_submits_rectification_via_page(client, personas, recent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = Rectification.objects.get(record=recent())
    client.force_login(personas.dept)
    response = client.post(
        f"/office/sanctions/rectifications/{task.pk}/",
        {
            "action": "submit",
            "explanation": "原因说明",
            "report": "整改情况",
            "attachments": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "submitted" and task.attachments.count() == 1
    attachment = task.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "r.pdf"
    url = f"/office/sanctions/rectifications/{task.pk}/attachments/{attachment.pk}/"
    # the credit office that accepts the rectification reads the attachment (and it is audited)
    client.force_login(personas.office)
    assert url in client.get(f"/office/sanctions/rectifications/{task.pk}/").content.decode()
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert AuditEntry.objects.filter(
        action="govcredit.rectification.attachment_viewed", actor=personas.office
    ).exists()
    assert client.get(url.replace(f"/{attachment.pk}/", f"/{attachment.pk + 1000}/")).status_code == 404
    # the court clerk is out of scope
    client.force_login(personas.finance)
    assert client.get(f"/office/sanctions/rectifications/{task.pk}/").status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_verify_page(client, personas, recent, dept_subject):
    recent()
    check, _ = checks.run_check([dept_subject.uscc], "award", access=personas.access(personas.office))
    ok = client.get("/verify-report/", {"serial": check.serial, "digest": check.digest}).content.decode()
    assert "报告真实有效" in ok and "内容未被改动" in ok
    altered = client.get("/verify-report/", {"serial": check.serial, "digest": "a" * 64}).content.decode()
    assert "摘要不一致" in altered
    forged = client.get("/verify-report/", {"serial": "HC20260101-ABCDEFGH"}).content.decode()
    assert "未找到" in forged
    assert client.get("/verify-report/").status_code == 200

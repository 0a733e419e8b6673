"""Upload page: upload → preview with per-row problems → confirm → imported; scoped to the unit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govcredit.intake.models import ImportJob
from govcredit.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, personas, row, csv_file):
    def do(rows, *, user=None, submit=False):
        client.force_login(user or personas.court)
        path = csv_file(rows, encoding="gbk")
        data = {
            "file": SimpleUploadedFile("记录.csv", path.read_bytes(), content_type="text/csv"),
            "source_unit": personas.unit("区法院").pk,
        }
        if submit:
            data["submit"] = "on"
        return client.post("/office/intake/", data)

    return do


def test_preview_then_confirm(client, personas, row, upload):
    response = upload([row(1), row(2), row(3, 严重程度='=HYPERLINK("x")')])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/office/intake/{job.pk}/")
    assert job.state == ImportJob.State.PREVIEWED
    assert job.preview["created"] == 2 and job.preview["rejected"] == 1
    assert CreditRecord.objects.count() == 0  # nothing before confirming
    page = client.get(f"/office/intake/{job.pk}/")
    text = page.content.decode()
    assert "确认导入 2 条记录" in text and "严重程度" in text
    report = client.get(f"/office/intake/{job.pk}/report.csv")
    assert report.status_code == 200
    content = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in content

    client.post(f"/office/intake/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.result["created"] == 2
    assert CreditRecord.objects.count() == 2
    assert client.post(f"/office/intake/{job.pk}/confirm/").status_code == 302  # second confirm: message only
    assert CreditRecord.objects.count() == 2
    assert client.get(f"/office/intake/{job.pk}/progress/").status_code == 200


def test_refused_file_is_shown(client, personas, csv_file, upload):
    upload([])
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.REFUSED
    assert "没有数据行" in client.get(f"/office/intake/{job.pk}/").content.decode()


def test_cancel(client, personas, row, upload):
    upload([row(1)])
    job = ImportJob.objects.get()
    client.post(f"/office/intake/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED and CreditRecord.objects.count() == 0


def test_wrong_file_type_is_a_field_error(client, personas):
    client.force_login(personas.court)
    response = client.post(
        "/office/intake/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "source_unit": personas.unit("区法院").pk},
    )
    assert response.status_code == 200 and "请上传 CSV 或 XLSX 文件" in response.content.decode()


def test_jobs_are_scoped_to_the_unit(client, personas, row, upload):
    upload([row(1)])
    job = ImportJob.objects.get()
    client.force_login(personas.hr)
    assert client.get(f"/office/intake/{job.pk}/").status_code == 404
    assert job.file_name not in client.get("/office/intake/").content.decode()
    client.force_login(personas.outsider)
    assert client.get("/office/intake/").status_code == 403
    client.logout()
    assert client.get("/office/intake/").status_code == 302


def test_another_units_source_unit_is_refused(client, personas, row, csv_file):
    client.force_login(personas.hr)
    path = csv_file([row(1)])
    response = client.post(
        "/office/intake/",
        {"file": SimpleUploadedFile("r.csv", path.read_bytes()), "source_unit": personas.unit("区法院").pk},
    )
    assert response.status_code == 200 and ImportJob.objects.count() == 0

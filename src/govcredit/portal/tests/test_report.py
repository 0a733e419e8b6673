"""A subject's 信用报告 (PDF): serial, digest, QR to this server's verify page, Chinese fonts, verification."""

import re
import shutil
import subprocess

import pytest

from govcredit.portal import reports
from govcredit.portal.models import SubjectReport
from govcredit.records import services

pytestmark = pytest.mark.django_db


def _download(client, subject, host="xy.zhoucun.example"):
    response = client.get(f"/subjects/{subject.uscc}/report.pdf", HTTP_HOST=host)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


@pytest.fixture
def hosts(settings):
    settings.GOVCREDIT_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["xy.zhoucun.example", "10.0.0.7", "testserver"]


def test_report_pdf_has_serial_digest_records_and_chinese_text(client, publish, hosts, tmp_path):
    record = publish()
    response = _download(client, record.subject)
    report = SubjectReport.objects.get()
    assert report.serial in response["Content-Disposition"]
    assert re.fullmatch(r"XY\d{8}-[2-9A-HJ-NP-Z]{8}", report.serial)
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.skip("需要 poppler-utils（pdftotext、pdffonts）检查报告内容")
    body = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = body.replace(" ", "").replace("\n", "")
    assert "信用报告" in flat and report.serial in flat and record.document_no in flat
    assert record.subject.display_name in flat
    assert "SM3" + report.digest in flat  # printed in groups of eight, possibly over two lines
    assert re.search(r"SM3 [0-9a-f]{8} [0-9a-f]{8} ", body)
    # the verify link (and the QR code drawn from it) is the printing server's, not a default host
    assert "http://xy.zhoucun.example/reports/verify/?serial=" + report.serial in flat
    assert "testserver" not in flat and "localhost" not in flat
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts


def test_qr_code_encodes_the_verify_link_of_the_printing_server(client, publish, hosts, monkeypatch):
    from govcredit.sanctions import checks

    drawn = []
    real = checks.qr_data_uri
    monkeypatch.setattr(checks, "qr_data_uri", lambda url: drawn.append(url) or real(url))
    record = publish()
    _download(client, record.subject, host="10.0.0.7")
    serial = SubjectReport.objects.get().serial
    assert drawn == [f"http://10.0.0.7/reports/verify/?serial={serial}"]


def test_same_day_same_records_gives_the_same_report(client, publish, hosts, personas):
    record = publish()
    _download(client, record.subject)
    _download(client, record.subject)
    assert SubjectReport.objects.count() == 1
    # a publication about another subject moves the log head but changes nothing this report says
    from govcredit.subjects.models import Subject

    finance = Subject.objects.get(name="周村区财政局")
    other = publish(document_no="周法民〔2026〕77号", subject_name=finance.name, uscc=finance.uscc)
    assert other.subject_id != record.subject_id
    _download(client, record.subject)
    assert SubjectReport.objects.count() == 1
    services.revoke_record(record, access=personas.access(personas.court), reason="原判决已撤销")
    _download(client, record.subject)
    assert SubjectReport.objects.count() == 2
    assert (
        SubjectReport.objects.order_by("issued_at").last().serial
        in client.get(f"/subjects/{record.subject.uscc}/report.pdf", HTTP_HOST="xy.zhoucun.example")[
            "Content-Disposition"
        ]
    )


def test_verify_page_confirms_a_report_and_catches_a_wrong_digest(client, publish, hosts, personas):
    record = publish()
    _download(client, record.subject)
    report = SubjectReport.objects.get()
    ok = client.get(
        "/reports/verify/", {"serial": report.serial, "digest": reports.digest_groups(report.digest)}
    )
    body = ok.content.decode()
    assert "报告真实有效" in body and "报告摘要一致" in body and record.document_no in body
    bad = client.get("/reports/verify/", {"serial": report.serial, "digest": "0" * 64}).content.decode()
    assert "报告摘要不一致" in bad
    missing = client.get("/reports/verify/", {"serial": "XY20260101-ABCDEFGH"}).content.decode()
    assert "未找到报告编号" in missing
    services.revoke_record(record, access=personas.access(personas.court), reason="原判决已撤销")
    later = client.get("/reports/verify/", {"serial": report.serial}).content.decode()
    assert "报告真实有效" in later and "公示信息已有变化" in later


def test_tampered_stored_report_fails_integrity(client, publish, hosts):
    record = publish()
    _download(client, record.subject)
    SubjectReport.objects.update(content='{"records":[]}')
    report = SubjectReport.objects.get()
    assert not reports.verify(report.serial).intact


def test_report_serial_on_the_check_verify_page_goes_to_the_report_verify_page(client):
    response = client.get("/verify-report/", {"serial": "XY20261203-ABCDEFGH"})
    assert response.status_code == 302 and response["Location"].startswith("/reports/verify/?serial=XY")


def test_unknown_subject_has_no_report(client, reference):
    assert client.get("/subjects/91370306MA3XXXXXX0/report.pdf").status_code == 404

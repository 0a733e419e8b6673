"""Excel exports of the lists (exactly what is filtered, people masked, formula-safe), the incentive
badge, and who may see stored credit checks."""

import io

import openpyxl
import pytest

from govcredit.core.models import AuditEntry
from govcredit.sanctions import checks
from govcredit.sanctions.models import AccountabilityReferral, CreditCheck, Sanction


def sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_sanction_export_is_the_filtered_list(client, personas, recent, publish_positive):
    record = recent()
    publish_positive()
    client.force_login(personas.office)
    rows = sheet(client.get("/office/sanctions/", {"export": "xlsx"}))
    assert rows[0][:4] == ("主体", "主体类型", "主体代码", "措施")
    assert len(rows) - 1 == Sanction.objects.count()
    only = sheet(client.get("/office/sanctions/", {"export": "xlsx", "kind": "incentive"}))
    assert len(only) - 1 == Sanction.objects.filter(measure__kind="incentive").count() > 0
    assert {r[4] for r in only[1:]} == {"激励类"}
    docs = sheet(client.get("/office/sanctions/", {"export": "xlsx", "q": record.document_no}))
    assert {r[5] for r in docs[1:]} == {record.document_no}
    page = client.get("/office/sanctions/", {"kind": "incentive"}).content.decode()
    assert "export=xlsx" in page and "kind=incentive" in page


@pytest.mark.django_db
def test_exports_mask_people_and_never_write_formulas(client, personas, recent, civil_servant):
    recent(
        subject_name=civil_servant.name,
        subject_kind="公务员",
        uscc="",
        id_number=civil_servant.plain_id,
        unit_uscc=civil_servant.parent.uscc,
        document_no='=HYPERLINK("http://x")',
    )
    client.force_login(personas.office)
    rows = sheet(client.get("/office/sanctions/", {"export": "xlsx"}))
    text = repr(rows)
    assert civil_servant.plain_id not in text and "张三明" not in text
    assert "张*明" in text and civil_servant.id_masked in text
    docs = [r[5] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in docs  # kept as text, not a formula


@pytest.mark.django_db
def test_rectification_and_referral_exports(client, personas, recent):
    recent()
    client.force_login(personas.office)
    rows = sheet(client.get("/office/sanctions/rectifications/", {"export": "xlsx"}))
    assert rows[0][0] == "被记录单位" and len(rows) == 2
    assert rows[1][0] == "周村区发展和改革局" and rows[1][6] == "待整改"
    none = sheet(client.get("/office/sanctions/rectifications/", {"export": "xlsx", "status": "accepted"}))
    assert len(none) == 1
    rows = sheet(client.get("/office/sanctions/referrals/", {"export": "xlsx"}))
    assert rows[0][:2] == ("被记录单位", "主要负责人")
    assert len(rows) - 1 == AccountabilityReferral.objects.count()


@pytest.mark.django_db
def test_check_list_export(client, personas, recent, dept_subject):
    recent()
    office = personas.access(personas.office)
    first, _ = checks.run_check([dept_subject.uscc], "award", access=office, reason="=1+1")
    checks.run_check([dept_subject.uscc], "recruitment", access=office, reason="招录")
    client.force_login(personas.office)
    rows = sheet(client.get("/office/checks/", {"export": "xlsx", "purpose": "award"}))
    assert rows[0][0] == "核查编号" and len(rows) == 2
    assert rows[1][0] == first.serial and rows[1][2] == "'=1+1" and rows[1][9] == 1
    assert rows[1][12] == first.digest


@pytest.mark.django_db
def test_incentive_sanctions_have_a_green_badge(client, personas, recent, publish_positive):
    recent()
    publish_positive()
    client.force_login(personas.office)
    incentive = Sanction.objects.filter(measure__kind="incentive").first()
    punishment = Sanction.objects.exclude(measure__kind="incentive").first()
    page = client.get(f"/office/sanctions/{incentive.pk}/").content.decode()
    assert 'badge-success" title="守信激励措施">激励实施中' in page and "badge-published" not in page
    page = client.get(f"/office/sanctions/{punishment.pk}/").content.decode()
    assert '<span class="badge badge-published">实施中</span>' in page
    listing = client.get("/office/sanctions/").content.decode()
    assert "激励实施中" in listing and '<span class="badge badge-published">实施中</span>' in listing


@pytest.mark.django_db
def test_pdf_marks_incentives_green(publish_positive, dept_subject, office_access):
    from django.template.loader import render_to_string

    publish_positive()
    check, _ = checks.run_check([dept_subject.uscc], "policy_support", access=office_access)
    html = render_to_string(
        "sanctions/check_report_pdf.html",
        {"check": check, "results": check.expanded_results(), "qr": "", "verify_url": "", "issued": ""},
    )
    assert '<span class="st st-incentive">守信激励</span>' in html


@pytest.mark.django_db
def test_check_pages_only_for_users_who_may_check(client, personas, recent, dept_subject):
    recent()
    check, _ = checks.run_check([dept_subject.uscc], "award", access=personas.access(personas.office))
    # dept (a recorded unit's user in 区发改局, the credit office's own unit) and the court clerk: 403, logged
    for user in (personas.dept, personas.court, personas.outsider):
        client.force_login(user)
        for url in (
            "/office/checks/",
            f"/office/checks/{check.serial}/",
            f"/office/checks/{check.serial}/report.pdf",
        ):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "没有查看信用核查记录的权限" in response.content.decode()
        assert AuditEntry.objects.filter(action="govcredit.check.view_denied", actor=user).exists()
    assert not checks.checks_for(personas.access(personas.dept)).exists()
    # the auditor reads every check; the HR clerk sees their own, not the credit office's
    client.force_login(personas.auditor)
    assert check.serial in client.get("/office/checks/").content.decode()
    hr = personas.access(personas.hr)
    own, _ = checks.run_check([dept_subject.uscc], "recruitment", access=hr)
    client.force_login(personas.hr)
    page = client.get("/office/checks/").content.decode()
    assert own.serial in page and check.serial not in page
    assert client.get(f"/office/checks/{check.serial}/").status_code == 404
    assert set(checks.checks_for(hr).values_list("serial", flat=True)) == {own.serial}
    assert CreditCheck.objects.count() == 2

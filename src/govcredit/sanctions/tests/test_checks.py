import datetime as dt
import json
import shutil
import subprocess

import pytest

from govcredit.core.codes import make_id_number, make_uscc
from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.core.models import AuditEntry
from govcredit.records import services as records
from govcredit.sanctions import checks
from govcredit.sanctions.models import CheckResult, CreditCheck


def by_subject(results):
    return {r["subject"]: r for r in results}


def assert_canonical(check):
    """Stored row texts are built as strings: they must equal the canonical encoder's output."""
    texts = list(check.rows.order_by("position").values_list("data", flat=True))
    assert texts and all(checks.ROW_ENCODER.encode(json.loads(t)) == t for t in texts)
    return texts


@pytest.mark.django_db
def test_check_clear_blocked_attention_error(recent, dept_subject, civil_servant, personas, office_access):
    record = recent()
    unknown_org = make_uscc("11370306", 99_999)
    unknown_person = make_id_number("370306", dt.date(1990, 2, 3), 55)
    codes = [
        dept_subject.uscc,
        civil_servant.plain_id,
        unknown_org,
        unknown_person,
        "91370306ABC",
        "370306199002030551",
    ]
    check, results = checks.run_check(codes, "award", access=office_access, reason="2026年度评优")
    res = by_subject(results)
    blocked = res[dept_subject.uscc]
    assert blocked["status"] == "blocked"
    assert {r["measure"] for r in blocked["reasons"]} == {"取消评优评先推荐资格"}
    assert (
        blocked["reasons"][0]["record_id"] == record.pk and "周政发" in blocked["reasons"][0]["legal_basis"]
    )
    assert res[civil_servant.plain_id]["status"] == "clear"
    assert res[unknown_org] == {"subject": unknown_org, "status": "clear", "reasons": [], "detail": "无记录"}
    assert res[unknown_person]["status"] == "clear" and res[unknown_person]["detail"] == "无记录"
    assert res["91370306ABC"]["status"] == "error" and "18位" in res["91370306ABC"]["detail"]
    assert res["370306199002030551"]["status"] == "error" and "校验位" in res["370306199002030551"]["detail"]
    # stored: serial, who, why, digest; never the plain ID number
    stored = CreditCheck.objects.get(serial=check.serial)
    assert stored.requested_by == personas.office and stored.reason == "2026年度评优"
    assert (stored.total, stored.blocked_count, stored.clear_count, stored.error_count) == (6, 1, 3, 2)
    text = json.dumps(stored.stored_rows(), ensure_ascii=False)
    assert civil_servant.plain_id not in text and unknown_person not in text
    assert stored.format == 2 and stored.rows.count() == 6
    assert [r["status"] for r in stored.stored_rows()] == [
        "blocked",
        "clear",
        "clear",
        "clear",
        "error",
        "error",
    ]
    assert stored.digest == checks.report_digest(stored)
    assert_canonical(stored)
    expanded = stored.expanded_results()
    assert [r["reasons"] for r in expanded] == [r["reasons"] for r in results]
    assert [r.get("detail") for r in expanded] == [r.get("detail") for r in results]
    # recruitment: the department's measures do not restrict recruitment → attention
    _c, results = checks.run_check([dept_subject.uscc], "recruitment", access=office_access)
    assert results[0]["status"] == "attention"


@pytest.mark.django_db
def test_people_found_by_keyed_hash_only(civil_servant, personas, office_access):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        checks.run_check([civil_servant.plain_id], "recruitment", access=office_access)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert civil_servant.plain_id not in sql
    assert civil_servant.id_hash in sql


@pytest.mark.django_db
def test_civil_servant_blocked_for_recruitment_and_disputed_is_attention(
    recent, civil_servant, office_access, personas
):
    record = recent(
        subject_name=civil_servant.name,
        subject_kind="公务员",
        uscc="",
        id_number=civil_servant.plain_id,
        unit_uscc=civil_servant.parent.uscc,
        document_no="周法民〔2026〕77号",
    )
    _c, results = checks.run_check([civil_servant.plain_id], "recruitment", access=office_access)
    assert results[0]["status"] == "blocked"
    assert results[0]["reasons"][0]["measure"] == "招录信用审查不予通过"
    records.open_objection(record, access=None, reason="当事人提出异议")
    _c, results = checks.run_check([civil_servant.plain_id], "recruitment", access=office_access)
    assert results[0]["status"] == "attention" and results[0]["reasons"][0]["disputed"] is True
    assert '"disputed":true' in assert_canonical(_c)[0]


@pytest.mark.django_db
def test_positive_records_show_as_incentives(publish_positive, dept_subject, office_access):
    publish_positive()
    _c, results = checks.run_check([dept_subject.uscc], "policy_support", access=office_access)
    assert results[0]["status"] == "clear"
    assert {i["measure"] for i in results[0]["incentives"]} == {
        "评优评先和政策支持中优先考虑",
        "简化程序、绿色通道（容缺受理）",
    }
    assert '"incentives":[' in assert_canonical(_c)[0]


@pytest.mark.django_db
def test_hr_clerk_may_check_court_clerk_may_not_and_is_logged(personas, dept_subject):
    checks.run_check([dept_subject.uscc], "recruitment", access=personas.access(personas.hr))
    with pytest.raises(PermissionDenied):
        checks.run_check([dept_subject.uscc], "award", access=personas.access(personas.court))
    entry = AuditEntry.objects.filter(action="govcredit.check.denied").get()
    assert entry.actor == personas.court


@pytest.mark.django_db
def test_unknown_purpose(office_access, dept_subject):
    with pytest.raises(ValidationFailed) as exc:
        checks.run_check([dept_subject.uscc], "lottery", access=office_access)
    assert "核查用途无效" in exc.value.message


def test_batch_parsing():
    assert checks.codes_from_text("A\n\nB,C\tD") == ["A", "B", "C", "D"]
    assert checks.codes_from_upload("x.csv", "代码\nA\nB\n".encode("gbk")) == ["A", "B"]
    with pytest.raises(ValidationFailed):
        checks.codes_from_upload("x.doc", b"nope")


@pytest.mark.django_db
def test_xlsx_upload(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码"])
    book.active.append(["91370306MA3C5XKX4Q"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    assert checks.codes_from_upload("list.xlsx", path.read_bytes()) == ["91370306MA3C5XKX4Q"]


@pytest.mark.django_db
def test_verify_catches_altered_digest_and_tampered_results(recent, dept_subject, office_access):
    recent()
    check, _ = checks.run_check([dept_subject.uscc], "award", access=office_access)
    ok = checks.verify_report(check.serial, check.digest.upper()[:32] + " " + check.digest[32:])
    assert ok.authentic
    forged = checks.verify_report(check.serial, "0" * 64)
    assert forged.found and not forged.digest_matches and not forged.authentic
    assert not checks.verify_report("HC20260101-XXXXXXXX").found
    # Someone edits the stored conclusion in the database: the digest no longer matches.
    row = CheckResult.objects.get(credit_check=check)
    CheckResult.objects.filter(pk=row.pk).update(data=row.data.replace('"blocked"', '"clear"'))
    assert not checks.verify_report(check.serial).intact
    CheckResult.objects.filter(pk=row.pk).update(data=row.data)
    assert checks.verify_report(check.serial).intact
    # … or the stored counts the verify page shows, or deletes a row
    CreditCheck.objects.filter(pk=check.pk).update(blocked_count=0, clear_count=1)
    assert not checks.verify_report(check.serial).intact
    CreditCheck.objects.filter(pk=check.pk).update(blocked_count=1, clear_count=0)
    assert checks.verify_report(check.serial).intact
    row.delete()
    assert not checks.verify_report(check.serial).intact


@pytest.mark.django_db
def test_rows_with_backslashes_and_quotes_survive_storage(office_access):
    codes = ["a\\b\tc", 'say "hi"', "行一\n", "=1+2"]
    check, answer = checks.run_check(codes, "award", access=office_access)
    assert [r["subject"] for r in answer] == codes
    stored = CreditCheck.objects.get(pk=check.pk)
    assert [r["subject"] for r in stored.stored_rows()] == [checks.parse_code(c).value for c in codes]
    assert checks.verify_report(check.serial, check.digest).authentic
    assert_canonical(check)


@pytest.mark.django_db
def test_format_1_checks_still_verify(recent, dept_subject, office_access):
    """Checks stored before the per-row table (results in the JSON column) keep their digest."""
    from django.utils import timezone

    recent()
    _check, answer = checks.run_check([dept_subject.uscc], "award", access=office_access)
    legacy = CreditCheck.objects.create(
        serial="HC20261101-LEGACY22",
        purpose="award",
        requested_by=office_access.user,
        issued_at=timezone.now().replace(microsecond=0),
        total=1,
        blocked_count=1,
        format=1,
        results=[
            {
                "subject": dept_subject.uscc,
                "status": "blocked",
                "reasons": [{"record_id": 1, "mi": 0, "lb": 1}],
            }
        ],
        bases=["取消评优评先推荐资格", "周政发〔2018〕26号"],
        digest="",
    )
    legacy.digest = checks.report_digest(legacy)
    legacy.save()
    assert checks.verify_report(legacy.serial, legacy.digest).authentic
    assert legacy.expanded_results()[0]["reasons"][0]["measure"] == "取消评优评先推荐资格"
    legacy.results[0]["status"] = "clear"
    legacy.save()
    assert not checks.verify_report(legacy.serial).intact


@pytest.mark.django_db
def test_pdf_embeds_cjk_font_and_renders(recent, dept_subject, office_access, tmp_path):
    recent()
    check, _ = checks.run_check([dept_subject.uscc, "123"], "award", access=office_access, reason="年度评优")
    pdf = checks.render_report_pdf(check, access=office_access)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "WenQuanYi" in fonts
        assert "yes" in fonts.split("WenQuanYi", 1)[1].splitlines()[0]  # embedded
    else:  # inspect the font objects directly
        assert b"WenQuanYi" in pdf or b"FontFile2" in pdf
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert check.serial in text and "信用审查报告" in text.replace(" ", "")


@pytest.mark.django_db
def test_stored_results_expand_to_full_reasons(recent, dept_subject, office_access):
    recent()
    check, answer = checks.run_check([dept_subject.uscc], "award", access=office_access)
    stored = CreditCheck.objects.get(pk=check.pk)
    expanded = stored.expanded_results()[0]["reasons"][0]
    assert expanded["measure"] == answer[0]["reasons"][0]["measure"] == "取消评优评先推荐资格"
    assert expanded["item"] == "司法判决" and "周政发" in expanded["legal_basis"]
    assert "lb" not in expanded and "mi" not in expanded


def test_full_width_and_spaced_codes_are_normalised():
    code = make_uscc("11370306", 4242)
    full = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert checks.parse_code(full).value == code and not checks.parse_code(full).error
    assert checks.parse_code(f" {code[:9]} {code[9:].lower()} ").value == code


@pytest.mark.django_db
def test_mitigated_measure_after_repair_still_blocks(recent, dept_subject, office_access):
    record = recent()
    records.repair_record(record, access=None, reason="主动挽回损失")
    check, results = checks.run_check([dept_subject.uscc], "award", access=office_access)
    assert results[0]["status"] == "blocked"
    reason = results[0]["reasons"][0]
    assert reason["record_id"] == record.pk and reason["note"] == "记录已修复，措施从轻实施至期满"
    assert reason["measure"] == "取消评优评先推荐资格"
    (text,) = assert_canonical(check)
    assert '"ii"' not in text
    assert CreditCheck.objects.get(pk=check.pk).expanded_results()[0]["reasons"] == results[0]["reasons"]


def test_report_qr_link_points_at_the_printing_server(settings):
    """The verify link on the staff check page (and in the PDF) is this server's, not a default host."""
    settings.GOVCREDIT_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["credit.intranet"]

    class Check:
        serial = "HC20261203-0001"

    class Req:
        scheme = "http"

        def get_host(self):
            return "credit.intranet"

    assert checks.verify_url(Check(), Req()) == "http://credit.intranet/verify-report/?serial=HC20261203-0001"

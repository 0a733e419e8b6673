"""End to end in Chromium: file an objection on 信用周村 with evidence, then follow it with the
tracking code while the office accepts and decides it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% objection evidence\n"


def test_file_and_track_objection(page, publish, personas, shot, tmp_path):
    from govcredit.disputes import services
    from govcredit.disputes.models import DisputeCase, Outcome
    from govcredit.records.models import Status

    record = publish()
    evidence = tmp_path / "履行证明.pdf"
    evidence.write_bytes(PDF)

    page.goto(f"/objections/new/?record={record.pk}")
    assert page.get_by_role("heading", name="信用信息异议申请").is_visible()
    assert page.get_by_text(record.document_no).first.is_visible()
    # A wrong contact is refused at the field, nothing saved.
    page.get_by_label("申请人（姓名或单位名称）").fill("周村区发展和改革局")
    page.get_by_label("联系方式").fill("12345")
    page.get_by_label("异议理由").fill("判决已于2026年7月履行完毕，公示内容未反映履行情况。")
    page.get_by_role("button", name="提交异议申请").click()
    assert page.get_by_text("请填写11位手机号码").is_visible()
    assert DisputeCase.objects.count() == 0
    shot(page, "disputes-objection-error")

    page.get_by_label("联系方式").fill("13800000000")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_role("button", name="提交异议申请").click()
    page.get_by_role("heading", name="异议申请已提交").wait_for()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    case = DisputeCase.objects.get()
    assert code == case.tracking_code and code.startswith(case.receipt_no + "-")
    assert page.get_by_test_id("receipt-no").inner_text().strip() == case.receipt_no
    assert case.evidence.count() == 1
    shot(page, "disputes-objection-filed")

    def track():
        page.goto("/cases/")
        page.get_by_label("查询码或受理编号").fill(code.lower())
        page.get_by_role("button", name="查询").click()
        return page.get_by_test_id("case-status").inner_text()

    assert "等待受理" in track()

    office = personas.access(personas.office)
    services.forward_case(services.accept_case(case, access=office), access=office)
    record.refresh_from_db()
    assert record.status == Status.UNDER_OBJECTION
    assert "核查中" in track()
    shot(page, "disputes-case-tracking")

    services.decide_case(
        case,
        access=personas.access(personas.court),
        outcome=Outcome.UPHELD,
        reason="经核查原记录准确，予以维持。",
    )
    assert track() == "已办结"
    assert page.get_by_text("维持原记录").first.is_visible()
    assert page.get_by_text("经核查原记录准确").first.is_visible()

    # A guessed code gets the plain unknown answer.
    page.goto("/cases/")
    page.get_by_label("查询码或受理编号").fill("A" * 32)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("查询码无效或案件不存在").is_visible()

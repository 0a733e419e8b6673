import datetime as dt
from decimal import Decimal

import pytest

from govcredit.bidding import services
from govcredit.bidding.models import CreditEvaluation, EvaluationIndicator, ReportStatus
from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.records import services as records


def test_roles_follow_the_subject_kind(personas, centre_clerk, firm):
    access = personas.access(centre_clerk)
    role = services.assign_role(firm, "agency", access=access, qualification="工程招标代理")
    assert services.roles_of(firm) == ["agency"] and role.get_role_display() == "招标代理机构"
    with pytest.raises(ValidationFailed) as exc:
        services.assign_role(firm, "expert", access=access)
    assert (
        "评标专家" in exc.value.field_errors["subject"][0] and "个人" in exc.value.field_errors["subject"][0]
    )
    with pytest.raises(PermissionDenied):
        services.assign_role(firm, "bidder", access=personas.access(personas.court))


def test_agency_evaluation_explains_every_deduction_and_caps_it(personas, centre_clerk, violation, firm):
    access = personas.access(centre_clerk)
    services.assign_role(firm, "agency", access=access)
    published = []
    for n in range(3):  # three serious violations: 3 × 20 = 60, capped at 40
        record, _ = services.submit_violation(
            violation(
                document_no=f"淄周公交罚〔2026〕{10 + n}号",
                violation="agency_misconduct",
                restriction_months=12,
                role="agency",
            ),
            access=access,
        )
        published.append(records.approve_record(record, access=personas.access(personas.reviewer)))
    evaluation = services.evaluate(firm, "agency", period="2026-11", access=access)
    assert evaluation.score == Decimal("60.00") and evaluation.grade == "D"
    (line,) = evaluation.lines
    assert line["indicator"] == "serious_violation" and line["points"] == "-40.00"
    assert [i["id"] for i in line["inputs"]] == [r.pk for r in published]
    for record in published:
        assert record.document_no in line["explanation"]
    assert "超过上限40.00分，按40.00分计" in line["explanation"] and "本地选择" in line["explanation"]
    # recomputing the period replaces it, with the same digest
    again = services.evaluate(firm, "agency", period="2026-11", access=access)
    assert again.pk == evaluation.pk and again.digest == evaluation.digest
    assert CreditEvaluation.objects.count() == 1
    # indicators are configuration: lowering the cap changes the score
    EvaluationIndicator.objects.filter(code="serious_violation").update(cap=Decimal("30"))
    assert services.evaluate(firm, "agency", period="2026-11", access=access).score == Decimal("70.00")
    with pytest.raises(ValidationFailed):
        services.evaluate(firm, "agency", period="2026-13", access=access)


def test_third_party_report_counts_only_when_verified_and_valid(personas, centre_clerk, firm):
    clerk = personas.access(centre_clerk)
    today = dt.date.today()
    data = {
        "agency": "山东鲁信信用评估有限公司",
        "report_no": "LX-2026-0018",
        "grade": "aa",
        "issued_on": today - dt.timedelta(days=30),
        "valid_until": today + dt.timedelta(days=335),
    }
    report = services.register_report(firm, data, access=clerk)
    assert report.grade == "AA" and report.status == ReportStatus.REGISTERED
    assert services.evaluate(firm, "bidder", period="2026-11", access=clerk).score == Decimal("100.00")
    with pytest.raises(PermissionDenied):
        services.verify_report(report, ok=True, access=clerk)  # the registrar cannot verify
    services.verify_report(
        report, ok=True, note="已向出具机构电话核实", access=personas.access(personas.office)
    )
    evaluation = services.evaluate(firm, "bidder", period="2026-11", access=clerk)
    assert evaluation.score == Decimal("105.00")
    assert "LX-2026-0018" in evaluation.lines[0]["explanation"]
    with pytest.raises(ValidationFailed) as exc:
        services.register_report(firm, {**data, "valid_until": today - dt.timedelta(days=60)}, access=clerk)
    assert set(exc.value.field_errors) == {"valid_until", "report_no"}
    # expired: no longer counted
    assert services.evaluate(
        firm, "bidder", period="2027-11", access=clerk, as_of=today + dt.timedelta(days=400)
    ).score == Decimal("100.00")

"""Point 2: the recruitment, appointment and award checks consult the personnel file."""

import datetime as dt

import pytest

from govcredit.personnel.importer import import_xlsx
from govcredit.personnel.models import PersonnelRule
from govcredit.sanctions import checks


def _check(person, purpose, access, today):
    check, rows = checks.run_check([person.plain_id], purpose, access=access, today=today)
    texts = list(check.rows.order_by("position").values_list("data", flat=True))
    import json

    assert all(checks.ROW_ENCODER.encode(json.loads(t)) == t for t in texts)
    return check, rows[0]


@pytest.mark.django_db
def test_demerit_blocks_appointment_until_twelve_months_then_clear(servant, discipline, hr_access):
    person = servant()
    decided = dt.date(2026, 3, 15)
    record = discipline(person, decided_on=decided)
    _c, row = _check(person, "appointment", hr_access, dt.date(2027, 3, 15))
    assert row["status"] == "blocked"
    reason = row["reasons"][0]
    assert reason["record_id"] == record.pk and reason["until"] == "2027-03-15"
    assert "第六十四条" in reason["legal_basis"] and "记过处分期内" in reason["measure"]
    assert len(row["reasons"]) == 1  # the sanctions' 24-month rule does not also judge this record
    _c, row = _check(person, "appointment", hr_access, dt.date(2027, 3, 16))
    assert row["status"] == "clear" and row["reasons"] == []
    assert "2027-03-15届满" in row["detail"] and "第六十五条" in row["detail"]
    for purpose in ("award", "recruitment"):
        assert _check(person, purpose, hr_access, dt.date(2026, 9, 1))[1]["status"] == "blocked"


@pytest.mark.django_db
def test_periods_follow_the_kind_and_the_configured_rule(servant, discipline, hr_access):
    person = servant()
    discipline(person, decided_on=dt.date(2026, 1, 10), outcome="给予警告处分")
    assert _check(person, "appointment", hr_access, dt.date(2026, 7, 10))[1]["status"] == "blocked"
    assert _check(person, "appointment", hr_access, dt.date(2026, 7, 11))[1]["status"] == "clear"
    PersonnelRule.objects.filter(code="discipline_warning").update(months=9)
    _c, row = _check(person, "appointment", hr_access, dt.date(2026, 7, 11))
    assert row["status"] == "blocked" and row["reasons"][0]["until"] == "2026-10-10"


@pytest.mark.django_db
def test_major_demerit_is_not_read_as_demerit(servant, discipline, hr_access):
    person = servant()
    discipline(person, decided_on=dt.date(2026, 1, 10), outcome="给予记大过处分")
    _c, row = _check(person, "appointment", hr_access, dt.date(2027, 1, 11))
    assert row["status"] == "blocked" and row["reasons"][0]["until"] == "2027-07-10"


@pytest.mark.django_db
def test_last_years_basic_grade_gives_attention_with_article(servant, hr_access, xlsx, personas):
    person = servant()
    content = xlsx(
        ["身份证号", "姓名", "考核年度", "考核等次"], [[person.plain_id, person.name, 2025, "基本称职"]]
    )
    assert not import_xlsx(hr_access, "review", content).problems
    check, row = _check(person, "appointment", hr_access, dt.date(2026, 12, 3))
    assert row["status"] == "attention"
    assert row["reasons"][0]["measure"] == "2025年度考核确定为基本称职"
    assert "第三十九条" in row["reasons"][0]["legal_basis"]
    assert check.expanded_results()[0]["reasons"][0]["source"] == "2025年度考核"
    # a year later it is no longer "last year's"
    assert _check(person, "appointment", hr_access, dt.date(2027, 12, 3))[1]["status"] == "clear"
    # other purposes are not consulted
    assert _check(person, "policy_support", hr_access, dt.date(2026, 12, 3))[1]["status"] == "clear"


@pytest.mark.django_db
def test_concealment_gives_attention_for_appointment(servant, hr_access, xlsx):
    person = servant()
    content = xlsx(
        ["身份证号", "报告年度", "按时报告", "抽查核实", "核实结果", "处理情况"],
        [[person.plain_id, 2026, "是", "是", "瞒报", "诫勉"]],
    )
    assert not import_xlsx(hr_access, "matters", content).problems
    _c, row = _check(person, "appointment", hr_access, dt.date(2026, 12, 3))
    assert row["status"] == "attention" and "瞒报（诫勉）" in row["reasons"][0]["measure"]


@pytest.mark.django_db
def test_batch_check_stays_a_handful_of_queries(
    servant, discipline, hr_access, django_assert_max_num_queries
):
    people = [servant(name=f"王{i}", serial=100 + i) for i in range(12)]
    for p in people[:4]:
        discipline(p, decided_on=dt.date(2026, 5, 1), document_no=f"周人社处〔2026〕{p.pk}号")
    with django_assert_max_num_queries(25):
        check, rows = checks.run_check(
            [p.plain_id for p in people], "appointment", access=hr_access, today=dt.date(2026, 12, 3)
        )
    assert [r["status"] for r in rows].count("blocked") == 4

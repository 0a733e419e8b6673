import datetime as dt

import pytest
from django.utils import timezone

from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.records import services as records
from govcredit.sanctions import services
from govcredit.sanctions.models import (
    AccountabilityReferral,
    CriticismNotice,
    Measure,
    Rectification,
    Rule,
    Sanction,
    SanctionStatus,
)


def codes(record):
    return sorted(Sanction.objects.filter(record=record).values_list("measure__code", flat=True))


@pytest.mark.django_db
def test_defaults_load_measures_and_rules(reference):
    assert Measure.objects.filter(code="written_rectification").exists()
    assert Measure.objects.count() >= 10
    assert Rule.objects.filter(item__code="court_judgment", subject_kind="department").exists()
    from govcredit.sanctions.setup import load_defaults

    assert load_defaults() == "0 项措施、0 条规则"  # idempotent


@pytest.mark.django_db
def test_publish_creates_sanctions_task_and_notice(recent):
    record = recent()
    assert codes(record) == ["award_disqualification", "public_criticism", "written_rectification"]
    award = Sanction.objects.get(record=record, measure__code="award_disqualification")
    assert award.end == min(records.add_months(award.start, 12), record.publish_until)
    assert award.history.get().change == "created"
    task = Rectification.objects.get(record=record)
    assert task.deadline > timezone.localdate()
    assert "工作日" in task.deadline_note
    notice = CriticismNotice.objects.get(record=record)
    assert notice.status == "draft" and "通报" in notice.title
    assert not AccountabilityReferral.objects.exists()  # not serious


@pytest.mark.django_db
def test_serious_record_refers_principal_at_decision_date(recent, dept_subject, reference):
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, add_tenure, create_subject

    def person(name, seq):
        return create_subject(
            SubjectData(
                kind=SubjectKind.CIVIL_SERVANT,
                name=name,
                id_number=make_id_number("370306", dt.date(1970, 1, 1), seq),
                parent=dept_subject,
            )
        )

    decided = timezone.localdate() - dt.timedelta(days=30)
    old, new = person("李老局", 11), person("王新局", 13)
    add_tenure(old, dept_subject, position="局长", start=dt.date(2015, 1, 1), end=decided, is_principal=True)
    add_tenure(new, dept_subject, position="局长", start=decided + dt.timedelta(days=1), is_principal=True)
    record = recent(severity="严重", decided_on=decided)
    referral = AccountabilityReferral.objects.get(record=record)
    assert referral.person == old  # who held the post on the decision date, not today
    assert referral.position == "局长" and referral.to_unit.short_name == "区委组织部"
    # Overlapping rules: award disqualification from the general (12 m) and serious (36 m) rule.
    award = Sanction.objects.get(record=record, measure__code="award_disqualification")
    assert award.end == record.publish_until  # strictest wins, capped by the display window
    assert "从严" in award.reason


@pytest.mark.django_db
def test_revoke_lifts_and_cancels_task(recent, personas):
    record = recent()
    records.revoke_record(record, access=personas.access(personas.court), reason="原判决已撤销")
    assert set(Sanction.objects.filter(record=record).values_list("status", flat=True)) == {"lifted"}
    assert Rectification.objects.get(record=record).status == "cancelled"
    assert CriticismNotice.objects.get(record=record).status == "withdrawn"
    history = Sanction.objects.filter(record=record).first().history.last()
    assert history.change == "lifted" and "原判决已撤销" in history.reason


@pytest.mark.django_db
def test_repair_lifts_or_mitigates(recent):
    record = recent()
    award = Sanction.objects.get(record=record, measure__code="award_disqualification")
    old_end = award.end
    records.repair_record(record, access=None, reason="主动挽回损失")
    award.refresh_from_db()
    assert award.status == SanctionStatus.ACTIVE and award.mitigated and award.end < old_end
    assert award.history.last().change == "mitigated"
    rect = Sanction.objects.get(record=record, measure__code="written_rectification")
    assert rect.status == "lifted" and "免于" in rect.history.last().reason


@pytest.mark.django_db
def test_objection_marks_disputed_and_back(recent):
    record = recent()
    records.open_objection(record, access=None, reason="异议受理")
    assert all(Sanction.objects.filter(record=record).values_list("disputed", flat=True))
    records.close_objection(record, access=None, reason="维持")
    assert not any(Sanction.objects.filter(record=record).values_list("disputed", flat=True))
    assert Sanction.objects.filter(record=record).first().history.filter(change="disputed").exists()


@pytest.mark.django_db
def test_correction_reevaluates_with_history(recent, personas):
    record = recent()
    records.correct_record(
        record, {"severity": "serious"}, access=personas.access(personas.reviewer), reason="复核后认定为严重"
    )
    assert "principal_accountability" in codes(record)
    award = Sanction.objects.get(record=record, measure__code="award_disqualification")
    assert award.history.filter(change="extended").exists()
    records.correct_record(
        record, {"severity": "general"}, access=personas.access(personas.reviewer), reason="改回一般"
    )
    assert Sanction.objects.get(record=record, measure__code="principal_accountability").status == "lifted"
    award.refresh_from_db()
    assert award.history.filter(change="shortened").exists()


@pytest.mark.django_db
def test_rule_conflict_and_validation(personas, office_access):
    from govcredit.catalog.models import CatalogItem

    item = CatalogItem.objects.get(code="court_judgment")
    measure = Measure.objects.get(code="award_disqualification")
    with pytest.raises(Conflict, match="已有相同条件的生效规则"):
        services.create_rule(item=item, subject_kind="department", lines=[(measure, 6)], access=office_access)
    with pytest.raises(ValidationFailed) as exc:
        services.create_rule(
            item=item,
            severity="major",
            subject_kind="department",
            lines=[(measure, 6), (measure, 12), (Measure.objects.get(code="incentive_priority"), None)],
            access=office_access,
        )
    assert "重复" in exc.value.field_errors["measures"][0]
    assert any("激励" in m for m in exc.value.field_errors["measures"])
    rule = Rule.objects.get(item=item, severity="", subject_kind="department", active=True)
    new = services.revise_rule(rule, lines=[(measure, 6)], access=office_access)
    assert new.version == rule.version + 1 and not Rule.objects.get(pk=rule.pk).active
    with pytest.raises(Conflict):
        services.revise_rule(rule, lines=[(measure, 6)], access=office_access)


@pytest.mark.django_db
def test_sanction_end_before_start_refused(recent, office_access):
    record = recent()
    sanction = Sanction.objects.get(record=record, measure__code="award_disqualification")
    with pytest.raises(ValidationFailed) as exc:
        services.adjust_sanction(
            sanction, end=sanction.start - dt.timedelta(days=1), reason="测试", access=office_access
        )
    assert "不能早于开始日期" in exc.value.field_errors["end"][0]
    services.adjust_sanction(
        sanction, end=sanction.start + dt.timedelta(days=30), reason="联席会议决定", access=office_access
    )
    assert sanction.history.last().change == "shortened"


@pytest.mark.django_db
def test_preview_and_positive_record_incentives(publish_positive):
    record = publish_positive()
    assert codes(record) == ["incentive_priority", "incentive_simplified"]
    plan = services.plan_for(record)
    assert {p.measure.code for p in plan} == {"incentive_priority", "incentive_simplified"}

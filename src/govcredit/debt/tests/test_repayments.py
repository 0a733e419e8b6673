import datetime as dt

import pytest

from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.debt import duties, services
from govcredit.debt.models import EmergencyEvent, ReminderSent, Repayment
from govcredit.duties.models import Duty, Finding, IntegrityEvent
from govcredit.records import services as records
from govcredit.records.models import CreditRecord
from govcredit.sanctions.models import AccountabilityReferral, Notice


def test_reminders_at_t30_and_t5_then_an_emergency(personas, bond_data):
    access = personas.access(personas.finance)
    bond = services.register_bond(bond_data(), access=access)
    line = bond.schedule.get(due_on=dt.date(2026, 8, 20))
    duty = Duty.objects.get(module="debt", kind="bond_repayment", object_id=line.pk)
    assert duty.due_on == line.due_on and duty.unit.short_name == "区财政局" and duty.status == "open"
    assert duties.scan(dt.date(2026, 7, 1)) == {"reminders": 0, "emergencies": 1}  # 2025-08-20 was never paid
    assert duties.scan(dt.date(2026, 7, 21)) == {"reminders": 1, "emergencies": 0}  # T−30
    assert duties.scan(dt.date(2026, 7, 22)) == {"reminders": 0, "emergencies": 0}
    assert duties.scan(dt.date(2026, 8, 15)) == {"reminders": 1, "emergencies": 0}  # T−5
    assert set(ReminderSent.objects.filter(repayment=line).values_list("stage", flat=True)) == {"T-30", "T-5"}
    assert Notice.objects.filter(user=personas.finance, title__contains="T-5").count() == 1
    assert duties.scan(dt.date(2026, 8, 21)) == {"reminders": 0, "emergencies": 1}
    event = EmergencyEvent.objects.get(repayment=line)
    assert "未按期支付" in event.trigger and event.level == "IV"
    assert IntegrityEvent.objects.filter(module="debt", indicator="debt_repayment_missed").count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.update_emergency(event, {"close": True, "closure_note": "已支付"}, access=access)
    assert "尚未支付" in exc.value.field_errors["close"][0]
    services.update_emergency(event, {"level": "III", "actions": "动用偿债准备金"}, access=access)
    services.record_payment(line, paid_on=dt.date.today(), amount="112400000.00", access=access)
    assert Duty.objects.get(pk=duty.pk).status == "fulfilled"
    with pytest.raises(Conflict):
        services.record_payment(
            Repayment.objects.get(pk=line.pk), paid_on=dt.date.today(), amount="1", access=access
        )
    event = services.update_emergency(
        EmergencyEvent.objects.get(pk=event.pk), {"close": True, "closure_note": "已足额支付"}, access=access
    )
    assert event.closed_on == dt.date.today() and "动用偿债准备金" in event.actions and event.level == "III"


def test_illegal_borrowing_proposes_a_record_and_referral_follows(personas):
    from govcredit.subjects.models import Subject

    town = Subject.objects.get(name="王村镇人民政府")
    data = {
        "unit": town,
        "kind": "guarantee",
        "amount": "30000000.00",
        "facts": "为区属国有企业融资出具承诺函，违规提供担保。",
        "document_no": "周财监〔2026〕5号",
        "decided_on": dt.date.today() - dt.timedelta(days=2),
        "decided_by": "周村区财政局",
    }
    with pytest.raises(ValidationFailed):
        services.record_borrowing_case({**data, "amount": "-1"}, access=personas.access(personas.finance))
    case, finding = services.record_borrowing_case(data, access=personas.access(personas.finance))
    assert finding.document_no.startswith("周信〔") and "DEBT-" in finding.document_no
    record = CreditRecord.objects.get(pk=finding.record_id)
    assert (
        record.status == "submitted"
        and record.item.code == "illegal_borrowing"
        and record.proposed_by == "debt"
    )
    records.approve_record(record, access=personas.access(personas.reviewer))
    referral = AccountabilityReferral.objects.get(record=record)
    assert referral.unit == town and referral.to_unit.short_name == "区委组织部"
    assert Finding.objects.get(pk=finding.pk).status == "published"
    with pytest.raises(ValidationFailed) as exc:
        services.record_borrowing_case(data, access=personas.access(personas.finance))
    assert "已登记" in exc.value.field_errors["document_no"][0]

import datetime as dt

import pytest
from django.utils import timezone

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.core.models import TransparencyEntry
from govcredit.core.signals import record_changed
from govcredit.records import services
from govcredit.records.models import CreditRecord, RecordVersion, Status


@pytest.fixture
def court(personas):
    return personas.access(personas.court)


def test_it_creates_a_draft_and_resubmitting_the_key_updates_it(personas, record_data, court):
    source = personas.unit("区法院")
    record, created, _ = services.upsert_record(record_data(), source_unit=source, access=court)
    assert created and record.status == Status.DRAFT
    again, created, changed = services.upsert_record(record_data(), source_unit=source, access=court)
    assert (again.pk, created, changed) == (record.pk, False, False)
    updated, created, changed = services.upsert_record(
        record_data(facts="新的事实"), source_unit=source, access=court
    )
    assert updated.pk == record.pk and changed and not created
    assert CreditRecord.objects.count() == 1
    assert RecordVersion.objects.filter(record=record).count() == 2


def test_it_refuses_changed_content_once_submitted(personas, record_data, court):
    source = personas.unit("区法院")
    services.upsert_record(record_data(), source_unit=source, access=court, submit=True)
    with pytest.raises(Conflict):
        services.upsert_record(record_data(facts="改了"), source_unit=source, access=court)


def test_approval_publishes_with_window_from_decision_date(personas, record_data, court):
    record, _, _ = services.upsert_record(
        record_data(severity="严重"), source_unit=personas.unit("区法院"), access=court, submit=True
    )
    seen = []
    record_changed.connect(lambda **kw: seen.append(kw["event"]), weak=False, dispatch_uid="t1")
    try:
        services.approve_record(record, access=personas.access(personas.reviewer))
    finally:
        record_changed.disconnect(dispatch_uid="t1")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.publish_until == dt.date(2029, 6, 1)
    assert record.repairable_from == dt.date(2027, 6, 1)
    assert record.catalog_version.version == 1
    assert seen == ["publish"]
    assert TransparencyEntry.objects.filter(record_id=record.pk, event="publish").count() == 1


def test_a_reviewer_never_approves_their_own_submission(personas, record_data):
    office = personas.access(personas.office)
    record, _, _ = services.upsert_record(
        record_data(item="broken_commitment"),
        source_unit=personas.unit("区发改局"),
        access=office,
        submit=True,
    )
    with pytest.raises(PermissionDenied, match="自己"):
        services.approve_record(record, access=office)


def test_two_reviewers_at_once_exactly_one_wins(personas, record_data, court):
    record, _, _ = services.upsert_record(
        record_data(), source_unit=personas.unit("区法院"), access=court, submit=True
    )
    stale = CreditRecord.objects.get(pk=record.pk)
    services.approve_record(record, access=personas.access(personas.reviewer))
    stale.status = Status.SUBMITTED  # the second reviewer's page still shows it pending
    with pytest.raises(Conflict, match="已被他人处理"):
        services.approve_record(stale, access=personas.access(personas.reviewer2))


def test_reject_needs_a_reason(personas, record_data, court):
    record, _, _ = services.upsert_record(
        record_data(), source_unit=personas.unit("区法院"), access=court, submit=True
    )
    with pytest.raises(ValidationFailed):
        services.reject_record(record, access=personas.access(personas.reviewer), reason=" ")
    services.reject_record(record, access=personas.access(personas.reviewer), reason="附件缺失")
    assert CreditRecord.objects.get(pk=record.pk).status == Status.REJECTED


def test_revoke_and_expire_withdraw_from_public_log(publish, personas):
    record = publish()
    services.revoke_record(record, access=personas.access(personas.court), reason="判决已撤销")
    assert record.status == Status.REVOKED
    assert list(TransparencyEntry.objects.values_list("event", flat=True)) == ["publish", "withdraw"]
    other = publish(document_no="周法民〔2026〕2号")
    assert services.expire_due_records(today=other.publish_until + dt.timedelta(days=1)) == 1
    other.refresh_from_db()
    assert other.status == Status.EXPIRED


def test_correction_makes_a_new_version_and_stays_published(publish, personas):
    record = publish()
    services.correct_record(
        record, {"severity": "serious"}, access=personas.access(personas.reviewer), reason="复核后调整"
    )
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.severity == "serious"
    assert record.publish_until == dt.date(2029, 6, 1)
    assert record.versions.count() == 4  # create, submit, publish, correct
    assert TransparencyEntry.objects.filter(event="correct").count() == 1


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"uscc": "11370306900001001X"}, "uscc", "校验位应为"),
        ({"item": "nonsense"}, "item", "不在信用信息目录中"),
        ({"item": "dishonest_debtor", "severity": "一般"}, "severity", "允许的严重程度"),
        ({"decided_on": timezone.localdate() + dt.timedelta(days=3)}, "decided_on", "不能晚于今天"),
        ({"facts": "x" * 2001}, "facts", "不能超过2000"),
        ({"decided_by": ""}, "decided_by", "请填写决定机关"),
        ({"item": "disciplinary_sanction"}, "item", "不能报送"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    personas, record_data, court, override, field, message
):
    with pytest.raises(ValidationFailed) as exc:
        services.upsert_record(record_data(**override), source_unit=personas.unit("区法院"), access=court)
    assert message in " ".join(exc.value.field_errors[field])
    assert CreditRecord.objects.count() == 0


def test_a_clerk_cannot_submit_for_another_unit(personas, record_data):
    with pytest.raises(PermissionDenied):
        services.upsert_record(
            record_data(), source_unit=personas.unit("区法院"), access=personas.access(personas.hr)
        )


def test_unknown_subjects_are_created_and_flagged(personas, record_data, court):
    from govcredit.core.codes import make_uscc

    code = make_uscc("11370306", 12345)
    record, _, _ = services.upsert_record(
        record_data(subject_name="周村区某新设机构", uscc=code),
        source_unit=personas.unit("区法院"),
        access=court,
    )
    assert record.subject.needs_confirmation and record.subject.uscc == code


def test_civil_servant_id_is_encrypted_and_found_by_keyed_hash(personas, record_data, court):
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import Subject

    idno = make_id_number("370306", dt.date(1980, 5, 6), 123)
    unit = Subject.objects.get(name="周村区发展和改革局")
    record, _, _ = services.upsert_record(
        record_data(
            subject_name="张三丰",
            subject_kind="公务员",
            uscc="",
            id_number=idno,
            unit_uscc=unit.uscc,
            item="accountability",
        ),
        source_unit=personas.unit("区人社局"),
        access=personas.access(personas.hr),
    )
    person = record.subject
    assert idno not in person.id_cipher and person.id_masked == idno[:6] + "********" + idno[-4:]
    assert person.display_name == "张*丰"

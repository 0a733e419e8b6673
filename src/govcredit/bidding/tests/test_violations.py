import datetime as dt

import pytest

from govcredit.bidding import services
from govcredit.bidding.models import BlacklistEntry, Conduct
from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.duties.models import DisclosureEntry
from govcredit.records import services as records
from govcredit.records.models import CreditRecord
from govcredit.records.services import add_months
from govcredit.sanctions.checks import run_check
from govcredit.sanctions.models import Sanction


def publish(personas, centre_clerk, data):
    record, conduct = services.submit_violation(data, access=personas.access(centre_clerk))
    assert record.status == "submitted" and record.item.code == "bidding_violation"
    return records.approve_record(record, access=personas.access(personas.reviewer)), conduct


def test_serious_violation_blocks_bidding_for_the_decisions_period(personas, centre_clerk, violation, firm):
    record, conduct = publish(personas, centre_clerk, violation())
    assert conduct.restriction_months == 24 and record.legal_basis.endswith("第六十八条")
    sanction = Sanction.objects.get(record=record, measure__code="bidding_disqualification")
    assert sanction.end == add_months(record.decided_on, 24)
    assert sanction.history.filter(change="period").exists()

    check, results = run_check([firm.uscc], "bidding", access=personas.access(personas.office))
    (result,) = results
    assert result["status"] == "blocked"
    reason = result["reasons"][0]
    assert reason["record_id"] == record.pk and reason["measure"] == "取消投标资格"
    assert "第六十七条" in reason["legal_basis"] and "第六十八条" in reason["legal_basis"]
    assert "实施条例第六十七/六十八条" in reason["legal_basis"]
    # other purposes are not restricted by this measure
    _, award = run_check([firm.uscc], "award", access=personas.access(personas.office))
    assert award[0]["status"] == "attention"


def test_list_window_is_the_longer_of_six_months_and_the_restriction(personas, centre_clerk, violation, firm):
    today = dt.date.today()
    record, _ = publish(personas, centre_clerk, violation())
    entry = BlacklistEntry.objects.get(record=record)
    assert entry.listed_on == today and entry.restriction_end == add_months(record.decided_on, 24)
    assert entry.list_until == entry.restriction_end and "限制期满" in entry.window_note
    assert list(services.public_blacklist(today)) == [entry]
    assert DisclosureEntry.objects.filter(
        event="publish", object_type="bidding.blacklistentry", object_id=str(entry.pk)
    ).exists()

    short, _ = publish(
        personas,
        centre_clerk,
        violation(
            document_no="淄周公交罚〔2026〕4号",
            restriction_months=12,
            decided_on=today - dt.timedelta(days=300),
        ),
    )
    short_entry = BlacklistEntry.objects.get(record=short)
    assert short_entry.restriction_end < add_months(today, 6)
    assert short_entry.list_until == add_months(today, 6) and "6个月" in short_entry.window_note

    # after the window: off the public list, still in the archive, a withdraw entry in the ledger
    later = short_entry.list_until + dt.timedelta(days=1)
    assert services.delist_due(later) == 1
    assert services.delist_due(later) == 0  # idempotent
    assert short_entry not in services.public_blacklist(later)
    assert entry in services.public_blacklist(later)
    assert set(services.archive(firm.name)) == {entry, short_entry}
    assert DisclosureEntry.objects.filter(event="withdraw", object_id=str(short_entry.pk)).count() == 1


def test_revoked_record_leaves_the_list(personas, centre_clerk, violation):
    record, _ = publish(personas, centre_clerk, violation())
    records.revoke_record(record, access=personas.access(centre_clerk), reason="行政复议撤销原处理决定")
    entry = BlacklistEntry.objects.get(record=record)
    assert entry.delisted_on == dt.date.today() and not services.public_blacklist().exists()
    assert services.archive().get() == entry


def test_art8_fields_and_restriction_are_required(personas, centre_clerk, violation):
    access = personas.access(centre_clerk)
    with pytest.raises(ValidationFailed) as exc:
        services.submit_violation(violation(outcome=""), access=access)
    assert "处理决定" in exc.value.field_errors["outcome"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.submit_violation(violation(restriction_months=""), access=access)
    assert "第六十八条" in exc.value.field_errors["restriction_months"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.submit_violation(violation(violation="collusion", restriction_months=36), access=access)
    assert "12–24" in exc.value.field_errors["restriction_months"][0]
    assert not CreditRecord.objects.exists() and not Conduct.objects.exists()
    with pytest.raises(PermissionDenied):
        services.submit_violation(violation(), access=personas.access(personas.court))


def test_intake_record_without_conduct_reads_the_period_from_the_decision(personas, firm):
    """A decision submitted through the ordinary intake (no structured period): 两年 in 处理结果."""
    data = {
        "subject_name": firm.name,
        "subject_kind": "企业",
        "uscc": firm.uscc,
        "item": "bidding_violation",
        "severity": "严重",
        "document_no": "周住建罚〔2026〕8号",
        "decided_on": dt.date.today() - dt.timedelta(days=5),
        "decided_by": "周村区住房和城乡建设局",
        "facts": "串通投标。",
        "outcome": "取消其两年内参加依法必须进行招标的项目的投标资格",
        "legal_basis": "《中华人民共和国招标投标法实施条例》第六十七条",
    }
    record, _, _ = records.upsert_record(
        data, source_unit=personas.unit("区发改局"), access=personas.access(personas.office), submit=True
    )
    records.approve_record(record, access=personas.access(personas.reviewer))
    sanction = Sanction.objects.get(record=record, measure__code="bidding_disqualification")
    assert sanction.end == add_months(record.decided_on, 24)
    # the shipped catalog's other items keep working without the extra fields
    with pytest.raises(ValidationFailed) as exc:
        records.upsert_record(
            {**data, "outcome": ""},
            source_unit=personas.unit("区发改局"),
            access=personas.access(personas.office),
        )
    assert "outcome" in exc.value.field_errors


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("取消其2年投标资格", 24),
        ("取消其两年内参加投标资格", 24),
        ("取消投标资格十八个月", 18),
        ("罚款5万元", None),
    ],
)
def test_restriction_from_outcome(text, months):
    assert services.restriction_from_outcome(text) == months


def test_government_side_evasion_and_art80_interference_are_records_on_the_unit_and_the_official(
    personas, centre_clerk, violation
):
    """（十三） the government side: 规避招标 by a tendering unit and Art 80 interference by an official are
    records like any other, on the 部门 and on the 公务员; they restrict nobody's bidding and stay off the
    market participants' 招标投标失信名单."""
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import Subject, SubjectKind

    unit = Subject.objects.filter(kind=SubjectKind.DEPARTMENT).exclude(uscc="").first()
    common = {"role": "", "restriction_months": None, "severity": "一般", "decided_by": "周村区发展和改革局"}
    evasion, conduct = publish(
        personas,
        centre_clerk,
        violation(
            **common,
            subject_name=unit.name,
            subject_kind="部门",
            uscc=unit.uscc,
            violation="evasion",
            document_no="周发改招〔2026〕5号",
            facts="将依法必须招标的道路维修工程化整为零，直接发包。",
            outcome="责令改正，通报批评。",
        ),
    )
    assert evasion.subject == unit and evasion.legal_basis == "《中华人民共和国招标投标法》第四十九条"
    assert conduct.get_violation_display().startswith("必须招标的项目不招标或规避招标")
    id_number = make_id_number("370306", dt.date(1978, 5, 2), 41)
    interference, _ = publish(
        personas,
        centre_clerk,
        violation(
            **common,
            subject_name="刘某",
            subject_kind="公务员",
            id_number=id_number,
            unit_uscc=unit.uscc,
            uscc="",
            violation="interference",
            document_no="周纪招〔2026〕2号",
            facts="利用职务便利，暗示评标委员会成员倾向特定投标人。",
            outcome="移送纪检监察机关依法处理。",
        ),
    )
    assert interference.subject.kind == SubjectKind.CIVIL_SERVANT
    assert interference.legal_basis == "《中华人民共和国招标投标法实施条例》第八十条"
    assert not BlacklistEntry.objects.filter(record__in=[evasion, interference]).exists()
    assert not Sanction.objects.filter(
        record__in=[evasion, interference], measure__code="bidding_disqualification"
    ).exists()
    # Art 80 is an official's act: a market participant cannot be recorded under it
    before = CreditRecord.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.submit_violation(
            violation(**common, violation="interference", document_no="X-1"),
            access=personas.access(centre_clerk),
        )
    assert "公务员" in exc.value.field_errors["subject_kind"][0]
    assert CreditRecord.objects.count() == before

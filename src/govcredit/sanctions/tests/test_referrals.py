"""Accountability referrals opened by any module (``services.referrals.open_referral``), and the
unit flags (``runs_credit_checks``, ``handles_referrals``) that replaced hard-coded unit names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govcredit.core.errors import ValidationFailed
from govcredit.core.models import AuditEntry
from govcredit.sanctions import services
from govcredit.sanctions.models import AccountabilityReferral
from govcredit.sanctions.services.referrals import open_referral


def _open(subject, **overrides):
    data = {
        "subject": subject,
        "unit": None,
        "reason": "承诺事项逾期未履行，经督办仍未整改",
        "source_type": "commitments.commitment",
        "source_id": 42,
        "legal_basis": "周政发〔2018〕26号（九）",
    }
    data.update(overrides)
    return open_referral(**data)


def _fresh(user):
    """The user again, so that ``Access.for_user`` reads the memberships and flags anew."""
    return type(user).objects.get(pk=user.pk)


def test_a_module_opens_a_referral_without_a_record(dept_subject, personas):
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, add_tenure, create_subject

    chief = create_subject(
        SubjectData(
            kind=SubjectKind.CIVIL_SERVANT,
            name="周局长",
            id_number=make_id_number("370306", dt.date(1972, 3, 4), 21),
            parent=dept_subject,
        )
    )
    add_tenure(chief, dept_subject, position="局长", start=dt.date(2020, 1, 1), is_principal=True)
    referral = _open(dept_subject, actor=personas.office)
    assert referral.record is None and referral.sanction is None
    assert referral.person == chief and referral.position == "局长"
    assert referral.on_date == timezone.localdate()
    assert referral.to_unit.short_name == "区委组织部"  # the unit flagged handles_referrals
    assert referral.reference == "commitments.commitment #42"
    entry = AuditEntry.objects.get(action="govcredit.referral.created", object_id=str(referral.pk))
    assert "承诺事项逾期未履行" in entry.summary
    # the organisation department sees it in its list
    zzb = create_user(
        "zzb-clerk", "pw-zzb-clerk-123", memberships=[(personas.unit("区委组织部"), Role.CLERK, False)]
    )
    assert referral in services.referrals_for(personas.access(zzb))


def test_open_referral_is_idempotent_per_source_and_needs_a_reason(dept_subject):
    first = _open(dept_subject)
    assert _open(dept_subject) == first
    assert AccountabilityReferral.objects.count() == 1
    with pytest.raises(ValidationFailed) as exc:
        _open(dept_subject, source_id=43, reason="  ")
    assert "reason" in exc.value.field_errors


def test_a_person_is_referred_as_the_person(civil_servant):
    referral = _open(civil_servant, source_id=7)
    assert referral.person == civil_servant and referral.position == ""


def test_a_module_may_name_where_the_referral_goes(dept_subject, personas):
    referral = _open(dept_subject, unit=personas.unit("区人社局"))
    assert referral.to_unit.short_name == "区人社局"


def test_referral_pages_show_a_referral_without_a_record(client, dept_subject, personas):
    referral = _open(dept_subject)
    client.force_login(personas.office)
    body = client.get(f"/office/sanctions/referrals/{referral.pk}/").content.decode()
    assert "承诺事项逾期未履行" in body and "周政发〔2018〕26号（九）" in body
    assert "commitments.commitment #42" in client.get("/office/sanctions/referrals/").content.decode()


def test_check_and_referral_rights_follow_the_unit_flags(personas):
    hr = personas.access(personas.hr)
    assert services.can_run_checks(hr)
    org = personas.unit("区人社局")
    org.runs_credit_checks = False
    org.save(update_fields=["runs_credit_checks"])
    assert not services.can_run_checks(personas.access(_fresh(personas.hr)))
    court = personas.unit("区法院")
    court.handles_referrals = True
    court.save(update_fields=["handles_referrals"])
    assert services.can_handle_referrals(personas.access(_fresh(personas.court)))
    assert not services.can_handle_referrals(personas.access(personas.dept))

"""``accounts.permissions.Access``: every role × every question it answers (DESIGN §3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.accounts.services import create_user
from govcredit.core.errors import PermissionDenied

QUESTIONS = (
    "sees_everything",
    "can_unmask",
    "can_submit_records",
    "can_review",
    "can_manage_catalog",
    "can_manage_subjects",
    "can_read_audit",
    "submits_for_its_unit",  # source_unit_ids() holds the unit
    "is_the_recorded_unit",  # subject_ids_of_own_units() holds the unit's subject
)
# One row per role, a member of 区法院 without the unmask right; columns in QUESTIONS order.
EXPECTED = {
    Role.ADMIN: (True, True, True, False, True, True, True, True, False),
    Role.CREDIT_OFFICE: (True, False, True, True, True, True, True, True, False),
    Role.CLERK: (False, False, True, False, False, False, False, True, False),
    Role.REVIEWER: (True, False, False, True, False, False, False, False, False),
    Role.SUBJECT_USER: (False, False, False, False, False, False, False, False, True),
    Role.AUDITOR: (True, False, False, False, False, False, True, False, False),
    Role.THIRD_PARTY: (False, False, False, False, False, False, False, False, False),
}


def answers(access: Access, unit) -> tuple[bool, ...]:
    return (
        access.sees_everything,
        access.can_unmask,
        access.can_submit_records(),
        access.can_review(),
        access.can_manage_catalog(),
        access.can_manage_subjects(),
        access.can_read_audit(),
        unit.pk in access.source_unit_ids(),
        unit.subject_id in access.subject_ids_of_own_units(),
    )


def test_every_role_is_in_the_table():
    assert set(EXPECTED) == set(Role.values)


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda r: str(r))
def test_each_role_answers_every_question(role, personas):
    unit = personas.unit("区法院")
    user = create_user(f"u-{role}", "pw-role-test-123", memberships=[(unit, role, False)])
    access = Access.for_user(user)
    assert access.roles == {role}
    assert dict(zip(QUESTIONS, answers(access, unit), strict=True)) == dict(
        zip(QUESTIONS, EXPECTED[role], strict=True)
    )
    assert access.primary.organisation == unit and access.organisation_ids == {unit.pk}


def test_the_unmask_right_is_per_membership(personas):
    unit = personas.unit("区法院")
    user = create_user("u-unmask", "pw-role-test-123", memberships=[(unit, Role.CLERK, True)])
    assert Access.for_user(user).can_unmask


def test_a_superuser_without_a_unit_is_an_administrator(db):
    root = create_user("root", "pw-root-test-123", is_superuser=True)
    access = Access.for_user(root)
    assert access.roles == {Role.ADMIN} and access.sees_everything and access.can_unmask
    assert access.can_manage_catalog() and access.can_read_audit() and not access.can_review()
    assert access.source_unit_ids() == set() and access.primary is None


@pytest.mark.parametrize("who", ["anonymous", "no_unit"])
def test_nobody_and_a_user_of_no_unit_may_do_nothing(who, personas):
    user = AnonymousUser() if who == "anonymous" else personas.outsider
    access = Access.for_user(user)
    assert access.roles == set()
    assert answers(access, personas.unit("区法院")) == (False,) * len(QUESTIONS)
    with pytest.raises(PermissionDenied, match="没有执行此操作的权限"):
        access.require(access.can_review())


def test_roles_in_two_units_add_up_and_scope_by_unit(personas):
    court, hr = personas.unit("区法院"), personas.unit("区人社局")
    user = create_user(
        "u-two", "pw-role-test-123", memberships=[(court, Role.CLERK, False), (hr, Role.SUBJECT_USER, False)]
    )
    access = Access.for_user(user)
    assert access.source_unit_ids() == {court.pk}  # a clerk submits only for the unit they clerk for
    assert access.subject_ids_of_own_units() == {hr.subject_id}
    assert access.orgs_with_role(Role.CLERK) == [court]
    assert access.has_role(Role.SUBJECT_USER) and not access.has_role(Role.REVIEWER)


def test_the_credit_office_submits_for_each_of_its_units(personas):
    access = personas.access(personas.office)
    assert access.source_unit_ids() == {personas.unit("区发改局").pk}


def test_access_is_built_once_per_user_object_and_memo_computes_once(personas):
    first = Access.for_user(personas.court)
    assert Access.for_user(personas.court) is first
    calls = []
    assert first.memo("k", lambda: calls.append(1) or 5) == 5
    assert first.memo("k", lambda: calls.append(1) or 6) == 5
    assert calls == [1]

"""Who may do what, and which data a user sees (DESIGN §3 roles and scopes).

One ``Access`` object per request/user answers every question; services call it, views
never decide permissions themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from govcredit.core.errors import PermissionDenied

from .models import Membership, Organisation, Role

T = TypeVar("T")

STAFF_WIDE_ROLES = {Role.ADMIN, Role.CREDIT_OFFICE, Role.REVIEWER, Role.AUDITOR}


@dataclass
class Access:
    user: Any  # the User, or None for anonymous
    memberships: list[Membership] = field(default_factory=list)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def for_user(cls, user: Any) -> Access:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(user=None, memberships=[])
        cached = getattr(user, "_govcredit_access", None)
        if isinstance(cached, Access):
            return cached
        memberships = list(
            Membership.objects.filter(user=user).select_related("organisation", "organisation__subject")
        )
        access = cls(user=user, memberships=memberships)
        user._govcredit_access = access
        return access

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``Access`` (one per request): a queue count shown both as a 工作台
        tile and as a navigation badge is counted once."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    @cached_property
    def roles(self) -> set[str]:
        roles = {m.role for m in self.memberships}
        if getattr(self.user, "is_superuser", False):
            roles.add(Role.ADMIN)
        return roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def orgs_with_role(self, *roles: str) -> list[Organisation]:
        return [m.organisation for m in self.memberships if m.role in roles]

    @cached_property
    def organisation_ids(self) -> set[int]:
        return {m.organisation_id for m in self.memberships}

    @property
    def sees_everything(self) -> bool:
        return self.has_role(*STAFF_WIDE_ROLES)

    @property
    def can_unmask(self) -> bool:
        return any(m.can_unmask for m in self.memberships) or self.has_role(Role.ADMIN)

    @property
    def primary(self) -> Membership | None:
        return self.memberships[0] if self.memberships else None

    # -- capabilities -------------------------------------------------------------------
    def can_submit_records(self) -> bool:
        return self.has_role(Role.CLERK, Role.CREDIT_OFFICE, Role.ADMIN)

    def can_review(self) -> bool:
        return self.has_role(Role.REVIEWER, Role.CREDIT_OFFICE)

    def can_manage_catalog(self) -> bool:
        return self.has_role(Role.CREDIT_OFFICE, Role.ADMIN)

    def can_manage_subjects(self) -> bool:
        return self.has_role(Role.CREDIT_OFFICE, Role.ADMIN)

    def can_manage_accounts(self) -> bool:
        """Users, units and role memberships: the system administrator only."""
        return self.has_role(Role.ADMIN)

    def can_read_audit(self) -> bool:
        return self.has_role(Role.AUDITOR, Role.ADMIN, Role.CREDIT_OFFICE)

    def require(self, allowed: bool, message: str = "您没有执行此操作的权限") -> None:
        if not allowed:
            raise PermissionDenied(message)

    def source_unit_ids(self) -> set[int]:
        """Units this user may submit for."""
        if self.has_role(Role.CREDIT_OFFICE, Role.ADMIN):
            return {m.organisation_id for m in self.memberships}
        return {m.organisation_id for m in self.memberships if m.role == Role.CLERK}

    def subject_ids_of_own_units(self) -> set[int]:
        return {
            m.organisation.subject_id
            for m in self.memberships
            if m.role == Role.SUBJECT_USER and m.organisation.subject_id
        }

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.core.crypto import random_token, sm3_hex
from govcredit.core.errors import NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action

from .models import ApiToken, Membership, Organisation, Role, User
from .permissions import Access

register_action("govcredit.user.created", "新增用户")
register_action("govcredit.user.updated", "修改用户信息")
register_action("govcredit.user.disabled", "停用用户")
register_action("govcredit.user.enabled", "启用用户")
register_action("govcredit.user.unlocked", "解除账号锁定")
register_action("govcredit.user.password_reset", "重置密码")
register_action("govcredit.user.password_changed", "修改本人密码")
register_action("govcredit.membership.added", "分配单位和角色")
register_action("govcredit.membership.removed", "取消单位和角色")
register_action("govcredit.organisation.created", "新增单位")
register_action("govcredit.organisation.updated", "修改单位")
register_action("govcredit.token.created", "创建接口令牌")
register_action("govcredit.token.revoked", "撤销接口令牌")


@transaction.atomic
def create_user(
    username: str,
    password: str,
    *,
    display_name: str = "",
    memberships: Iterable[tuple[Any, ...]] = (),
    is_superuser: bool = False,
    actor: Any = None,
) -> User:
    """``memberships`` is a sequence of (Organisation, role[, can_unmask])."""
    user = User(
        username=username, display_name=display_name, is_superuser=is_superuser, is_staff=is_superuser
    )
    user.set_password(password)
    user.save()
    for spec in memberships:
        org, role, *rest = spec
        Membership.objects.create(user=user, organisation=org, role=role, can_unmask=bool(rest and rest[0]))
    log_action(
        "govcredit.user.created",
        actor=actor,
        obj=user,
        summary=f"新增用户 {username}",
        after={"roles": [s[1] for s in memberships]},
    )
    return user


@transaction.atomic
def create_token(user: User, *, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """Returns the token row and the plain token, which is shown once and never stored."""
    plain = "gct_" + random_token(30)
    token = ApiToken.objects.create(user=user, name=name, prefix=plain[:10], digest=sm3_hex(plain))
    log_action(
        "govcredit.token.created",
        actor=actor or user,
        obj=token,
        summary=f"为 {user.username} 创建接口令牌 {token.prefix}…",
    )
    return token, plain


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Any) -> ApiToken:
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied("只能撤销自己的接口令牌")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action("govcredit.token.revoked", actor=actor, obj=token, summary=f"撤销接口令牌 {token.prefix}…")
    return token


def organisation_by_short_name(short_name: str) -> Organisation:
    org = Organisation.objects.filter(short_name=short_name).first()
    if org is None:
        raise NotFound(f"单位「{short_name}」不存在")
    return org


# -- account administration (issue 13 point 2): the system administrator, every change audited ----

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@")


def _require_admin(access: Access | None) -> None:
    if access is not None and not access.can_manage_accounts():
        raise PermissionDenied("只有系统管理员可以管理用户、单位和角色")


def temporary_password() -> str:
    """A one-time password the administrator hands over; the user must change it at first login."""
    return "Gc-" + random_token(12)


def check_password_rules(password: str, user: User | None = None) -> None:
    """Django's validators (length ≥ 10, not like the username, not common, not all digits), Chinese."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], field_errors={"password": list(exc.messages)}) from exc


def _role_label(role: str) -> str:
    return Role(role).label


def _membership_rows(user: User) -> list[str]:
    return [
        f"{m.organisation} · {_role_label(m.role)}{'（可查看未脱敏身份证号）' if m.can_unmask else ''}"
        for m in user.memberships.select_related("organisation").order_by("organisation__name", "role")
    ]


def admin_create_user(
    access: Access | None,
    *,
    username: str,
    display_name: str = "",
    phone: str = "",
    organisation: Organisation,
    role: str,
    can_unmask: bool = False,
    password: str | None = None,
) -> tuple[User, str]:
    """A new user with one unit and role. Returns (user, password): a generated one-time password
    unless ``password`` is given; either way the user must change it at first login."""
    _require_admin(access)
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["请填写用户名"]
    elif len(username) > 150 or not set(username) <= USERNAME_CHARS:
        errors["username"] = ["用户名只能包含字母、数字和 _ . - @，不超过150个字符"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [f"用户名「{username}」已被使用"]
    if role not in Role.values:
        errors["role"] = ["请选择角色"]
    if not organisation.active:
        errors["organisation"] = [f"单位「{organisation}」已停用，不能分配用户"]
    if errors:
        raise ValidationFailed("用户信息有误", field_errors=errors)
    plain = password or temporary_password()
    check_password_rules(plain, User(username=username, display_name=display_name))
    with transaction.atomic():
        user = create_user(
            username,
            plain,
            display_name=display_name.strip(),
            memberships=[(organisation, role, can_unmask)],
            actor=getattr(access, "user", None),
        )
        user.phone = phone.strip()
        user.must_change_password = True
        user.save(update_fields=["phone", "must_change_password"])
    return user, plain


@transaction.atomic
def update_user(access: Access, user: User, *, display_name: str, phone: str) -> User:
    _require_admin(access)
    before = {"display_name": user.display_name, "phone": user.phone}
    user.display_name, user.phone = display_name.strip()[:60], phone.strip()[:20]
    user.save(update_fields=["display_name", "phone"])
    after = {"display_name": user.display_name, "phone": user.phone}
    if before != after:
        log_action(
            "govcredit.user.updated",
            actor=access.user,
            obj=user,
            summary=f"修改用户 {user.username} 的信息",
            before=before,
            after=after,
        )
    return user


@transaction.atomic
def set_user_active(access: Access, user: User, *, active: bool, reason: str = "") -> User:
    """Disable (never delete) or enable a user. A disabled user cannot log in; their tokens stop."""
    _require_admin(access)
    if not active and user.pk == access.user.pk:
        raise ValidationFailed("不能停用自己的账号")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(
        "govcredit.user.enabled" if active else "govcredit.user.disabled",
        actor=access.user,
        obj=user,
        summary=f"{'启用' if active else '停用'}用户 {user.username}"
        + (f"：{reason.strip()}" if reason.strip() else ""),
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user


@transaction.atomic
def reset_password(access: Access, user: User) -> str:
    """A new one-time password (shown once to the administrator); the lock is lifted and the user
    must change it at the next login."""
    _require_admin(access)
    plain = temporary_password()
    user.set_password(plain)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    log_action(
        "govcredit.user.password_reset",
        actor=access.user,
        obj=user,
        summary=f"重置用户 {user.username} 的密码（下次登录须修改）",
    )
    return plain


@transaction.atomic
def unlock_user(access: Access, user: User) -> User:
    _require_admin(access)
    if user.locked_until is None and not user.failed_logins:
        return user
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    log_action(
        "govcredit.user.unlocked",
        actor=access.user,
        obj=user,
        summary=f"解除用户 {user.username} 的锁定",
        before=before,
    )
    return user


@transaction.atomic
def change_own_password(user: User, new_password: str) -> None:
    """The user's own change (the form has checked the old password and the rules)."""
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    log_action(
        "govcredit.user.password_changed", actor=user, obj=user, summary=f"{user.username} 修改本人密码"
    )


@transaction.atomic
def add_membership(
    access: Access, user: User, *, organisation: Organisation, role: str, can_unmask: bool = False
) -> Membership:
    _require_admin(access)
    if role not in Role.values:
        raise ValidationFailed("请选择角色", field_errors={"role": ["请选择角色"]})
    if not organisation.active:
        raise ValidationFailed(
            f"单位「{organisation}」已停用",
            field_errors={"organisation": [f"单位「{organisation}」已停用，不能分配"]},
        )
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        message = f"{user.username} 已是「{organisation}」的{_role_label(role)}"
        raise ValidationFailed(message, field_errors={"role": [message]})
    before = _membership_rows(user)
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, can_unmask=can_unmask
    )
    log_action(
        "govcredit.membership.added",
        actor=access.user,
        obj=user,
        summary=f"为 {user.username} 分配「{organisation}」的{_role_label(role)}角色",
        before={"memberships": before},
        after={"memberships": _membership_rows(user)},
    )
    return membership


@transaction.atomic
def remove_membership(access: Access, membership: Membership) -> None:
    _require_admin(access)
    user = membership.user
    if user.pk == access.user.pk and membership.role == Role.ADMIN:
        if (
            not user.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk).exists()
            and not user.is_superuser
        ):
            raise ValidationFailed("不能取消自己唯一的系统管理员角色")
    before = _membership_rows(user)
    label = f"「{membership.organisation}」的{_role_label(membership.role)}"
    membership.delete()
    log_action(
        "govcredit.membership.removed",
        actor=access.user,
        obj=user,
        summary=f"取消 {user.username} 在{label}角色",
        before={"memberships": before},
        after={"memberships": _membership_rows(user)},
    )


ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "parent",
    "subject",
    "is_credit_office",
    "is_source_unit",
    "active",
)


def _organisation_state(org: Organisation) -> dict[str, Any]:
    subject = org.subject  # None without a query when subject_id is None
    return {
        "name": org.name,
        "short_name": org.short_name,
        "parent": str(org.parent) if org.parent_id else "",
        "subject": subject.uscc if subject is not None and subject.uscc else "",
        "is_credit_office": org.is_credit_office,
        "is_source_unit": org.is_source_unit,
        "active": org.active,
    }


def _other_units(org: Organisation | None) -> QuerySet[Organisation]:
    """Every unit but ``org`` (all of them for a new one)."""
    if org is None or org.pk is None:
        return Organisation.objects.all()
    return Organisation.objects.exclude(pk=org.pk)


@transaction.atomic
def save_organisation(access: Access, org: Organisation | None, **values: Any) -> Organisation:
    """Create (``org`` None) or change a unit. Units are never deleted: ``active=False`` disables."""
    _require_admin(access)
    others = _other_units(org)
    name = (values.get("name") or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["请填写单位名称"]
    elif others.filter(name=name).exists():
        errors["name"] = [f"单位「{name}」已存在"]
    short = (values.get("short_name") or "").strip()
    if short and others.filter(short_name=short).exists():
        errors["short_name"] = [f"简称「{short}」已被其他单位使用"]
    subject = values.get("subject")
    if subject is not None and others.filter(subject=subject).exists():
        errors["subject"] = [f"主体「{subject}」已对应其他单位"]
    parent = values.get("parent")
    if org is not None and parent is not None:
        walk = parent
        while walk is not None:
            if walk.pk == org.pk:
                errors["parent"] = ["上级单位不能是本单位或其下级单位"]
                break
            walk = walk.parent
    if errors:
        raise ValidationFailed("单位信息有误", field_errors=errors)
    created = org is None
    before = None if org is None else _organisation_state(org)
    org = org or Organisation()
    org.name, org.short_name, org.parent, org.subject = name, short, parent, subject
    org.is_credit_office = bool(values.get("is_credit_office"))
    org.is_source_unit = bool(values.get("is_source_unit"))
    org.active = bool(values.get("active", True))
    org.save()
    after = _organisation_state(org)
    if created or before != after:
        log_action(
            "govcredit.organisation.created" if created else "govcredit.organisation.updated",
            actor=access.user,
            obj=org,
            summary=f"{'新增' if created else '修改'}单位 {org.name}",
            before=before,
            after=after,
        )
    return org

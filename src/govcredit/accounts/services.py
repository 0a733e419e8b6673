from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from govcredit.core.crypto import random_token, sm3_hex
from govcredit.core.errors import NotFound, PermissionDenied
from govcredit.core.ledger import log_action, register_action

from .models import ApiToken, Membership, Organisation, User

register_action("govcredit.user.created", "新增用户")
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

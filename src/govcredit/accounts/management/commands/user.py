"""govcredit user create --username U --unit UNIT --role ROLE (scripted setups, issue 13 point 2)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from govcredit.accounts.models import Role
from govcredit.accounts.services import admin_create_user
from govcredit.core.errors import CreditError
from govcredit.records.services import resolve_source_unit

ROLE_NAMES = {**{r.value: r.value for r in Role}, **{r.label: r.value for r in Role}}


class Command(BaseCommand):
    help = "用户：govcredit user create --username U --unit UNIT --role ROLE"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="新增用户并打印一次性密码（首次登录须修改）")
        create.add_argument("--username", required=True)
        create.add_argument("--unit", required=True, help="单位的统一社会信用代码、全称或简称（如 区法院）")
        create.add_argument(
            "--role",
            required=True,
            help="角色：" + "、".join(f"{r.value}（{r.label}）" for r in Role),
        )
        create.add_argument("--name", default="", help="姓名")
        create.add_argument("--phone", default="")
        create.add_argument("--can-unmask", action="store_true", help="可查看未脱敏身份证号")
        create.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读取初始密码（否则生成一次性密码并打印）"
        )

    def handle(self, *args, action=None, **o):
        role = ROLE_NAMES.get(o["role"].strip())
        if role is None:
            raise CommandError(f"角色「{o['role']}」不存在，可用：" + "、".join(Role.values))
        unit = resolve_source_unit(o["unit"])
        if unit is None:
            raise CommandError(f"单位「{o['unit']}」不存在：请填写统一社会信用代码、全称或简称")
        password = sys.stdin.readline().rstrip("\n") if o["password_stdin"] else None
        try:
            user, plain = admin_create_user(
                None,
                username=o["username"],
                display_name=o["name"],
                phone=o["phone"],
                organisation=unit,
                role=role,
                can_unmask=o["can_unmask"],
                password=password,
            )
        except CreditError as exc:
            details = [m for msgs in (exc.field_errors or {}).values() for m in msgs]
            raise CommandError("；".join(details) or exc.message) from exc
        self.stdout.write(f"已新增用户 {user.username}（{unit} · {Role(role).label}），首次登录须修改密码")
        if password is None:
            self.stdout.write(f"一次性密码：{plain}")

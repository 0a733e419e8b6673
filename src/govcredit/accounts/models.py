from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    CREDIT_OFFICE = "credit_office", "信用办"
    CLERK = "clerk", "报送单位经办人"
    REVIEWER = "reviewer", "审核人"
    SUBJECT_USER = "subject_user", "被记录单位用户"
    AUDITOR = "auditor", "审计员"
    THIRD_PARTY = "third_party", "第三方机构"


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    # Login security (等保 2.0 身份鉴别): see accounts/security.py.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Organisation(models.Model):
    """A unit users belong to (单位). Most are also recorded subjects (``subject``)."""

    name = models.CharField("单位名称", max_length=200, unique=True)
    short_name = models.CharField("简称", max_length=60, blank=True, db_index=True)
    subject = models.OneToOneField(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="organisation"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_credit_office = models.BooleanField("社会信用体系建设牵头部门", default=False)
    is_source_unit = models.BooleanField("报送单位", default=False)
    runs_credit_checks = models.BooleanField(
        "可开展信用核查",
        default=False,
        help_text="本单位经办人可为招录、任用等开展信用核查（政策（九）：区委组织部、区人社局）",
    )
    handles_referrals = models.BooleanField(
        "承办责任追究",
        default=False,
        help_text="追究主要负责人责任的移送送达本单位，由本单位登记办理情况（政策（九）：区委组织部）",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    can_unmask = models.BooleanField("可查看未脱敏身份证号", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        verbose_name = "任职角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(models.Model):
    """System-to-system credential. Only an SM3 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

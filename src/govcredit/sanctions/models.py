"""Joint incentive and punishment (守信激励与失信惩戒, policy （九）（十）).

Measures list → rules → sanctions (measure instances) with history; rectification tasks,
public criticism notices, accountability referrals, in-app notices, and stored credit checks.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from govcredit.catalog.models import Severity
from govcredit.core.uploads import StoredUpload
from govcredit.subjects.models import SubjectKind


class MeasureKind(models.TextChoices):
    RESTRICTION = "restriction", "限制类"
    OBLIGATION = "obligation", "义务类"
    PUBLICITY = "publicity", "公开类"
    INCENTIVE = "incentive", "激励类"


class Purpose(models.TextChoices):
    AWARD = "award", "评优评先"
    RECRUITMENT = "recruitment", "招录"
    APPOINTMENT = "appointment", "任用"
    BIDDING = "bidding", "招标投标"
    POLICY_SUPPORT = "policy_support", "政策支持"


class Effect(models.TextChoices):
    """What applying the measure creates besides the sanction itself."""

    NONE = "", "无"
    RECTIFICATION = "rectification", "生成限期整改任务"
    NOTICE = "notice", "生成通报批评草稿"
    REFERRAL = "referral", "移送追究主要负责人责任"


class RepairEffect(models.TextChoices):
    """（十）: after repair the measure may be waived (免于) or applied more leniently (从轻)."""

    LIFT = "lift", "免于实施（修复后解除）"
    MITIGATE = "mitigate", "从轻实施（剩余期限减半）"
    KEEP = "keep", "继续实施至期满"


class Measure(models.Model):
    """An entry of the measures list (措施清单)."""

    code = models.SlugField("措施代码", max_length=50, unique=True)
    name = models.CharField("措施名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=MeasureKind.choices)
    legal_basis = models.TextField("法律政策依据")
    implementing_units = models.CharField("实施单位", max_length=300, blank=True)
    default_months = models.PositiveIntegerField(
        "默认期限（月）", null=True, blank=True, help_text="留空表示随信用记录公示期结束"
    )
    purposes = models.JSONField("影响的核查用途", default=list, blank=True)
    effect = models.CharField("附带生成", max_length=20, choices=Effect.choices, blank=True, default="")
    repair_effect = models.CharField(
        "信用修复后", max_length=10, choices=RepairEffect.choices, default=RepairEffect.LIFT
    )
    rectification_days = models.PositiveIntegerField(
        "整改期限（工作日）", default=20, help_text="仅对“生成限期整改任务”的措施有效"
    )
    description = models.TextField("说明", blank=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "奖惩措施"
        verbose_name_plural = "奖惩措施"

    def __str__(self) -> str:
        return self.name

    @property
    def is_incentive(self) -> bool:
        return self.kind == MeasureKind.INCENTIVE

    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]


class Rule(models.Model):
    """(catalog item, severity, subject kind) → measures. Blank severity / kind match any.

    Versioned: an edit deactivates the row and creates the next version (``supersedes``).
    """

    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, verbose_name="目录事项")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, blank=True)
    subject_kind = models.CharField("主体类型", max_length=20, choices=SubjectKind.choices, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="上一版本"
    )
    active = models.BooleanField("生效", default=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__code", "severity", "subject_kind", "-version"]
        verbose_name = "联合奖惩规则"
        verbose_name_plural = "联合奖惩规则"

    def __str__(self) -> str:
        return f"{self.item.name} · {self.get_severity_display() or '任意程度'} · {self.get_subject_kind_display() or '任意主体'} v{self.version}"

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.item_id, self.severity, self.subject_kind)


class RuleMeasure(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="lines")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, verbose_name="措施")
    months = models.PositiveIntegerField("期限（月）", null=True, blank=True, help_text="留空用措施默认期限")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["rule", "measure"], name="rule_measure_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.measure}"

    @property
    def effective_months(self) -> int | None:
        return self.months if self.months is not None else self.measure.default_months


class SanctionStatus(models.TextChoices):
    ACTIVE = "active", "实施中"
    LIFTED = "lifted", "已解除"
    ENDED = "ended", "已期满"


class Sanction(models.Model):
    """A measure applied to a subject because of a record (惩戒实施 / 激励实施)."""

    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="sanctions")
    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="sanctions")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="sanctions")
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions")
    rule_version = models.PositiveIntegerField("规则版本", null=True, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="留空表示随记录公示结束")
    status = models.CharField(
        "状态", max_length=10, choices=SanctionStatus.choices, default=SanctionStatus.ACTIVE
    )
    disputed = models.BooleanField("异议处理中", default=False)
    mitigated = models.BooleanField("从轻", default=False)
    reason = models.TextField("依据说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = "奖惩实施"
        verbose_name_plural = "奖惩实施"
        constraints = [
            models.UniqueConstraint(fields=["record", "measure"], name="sanction_record_measure"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="sanction_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="sanction_subject_status_idx"),
            models.Index(fields=["status", "end"], name="sanction_status_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.name} · {self.subject}"


class SanctionHistory(models.Model):
    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="history")
    change = models.CharField("变更", max_length=20)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField("原因")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "奖惩变更记录"

    def __str__(self) -> str:
        return f"{self.sanction_id} {self.change}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    SUBMITTED = "submitted", "已提交待验收"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已验收"
    CANCELLED = "cancelled", "已取消"


class Rectification(models.Model):
    """书面说明原因并限期整改: a task for the recorded unit, deadline in working days."""

    sanction = models.OneToOneField(Sanction, on_delete=models.PROTECT, related_name="rectification")
    record = models.ForeignKey(
        "records.CreditRecord", on_delete=models.PROTECT, related_name="rectifications"
    )
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="rectifications")
    deadline = models.DateField("整改期限")
    deadline_note = models.CharField("期限计算说明", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    explanation = models.TextField("书面说明", blank=True, max_length=5000)
    report = models.TextField("整改报告", blank=True, max_length=10000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("验收时间", null=True, blank=True)
    decision_note = models.TextField("验收意见", blank=True)
    escalated_at = models.DateTimeField("逾期督办时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "限期整改"
        verbose_name_plural = "限期整改"
        indexes = [models.Index(fields=["status", "deadline"], name="rect_status_deadline_idx")]

    def __str__(self) -> str:
        return f"整改 {self.record.document_no}"

    def is_overdue(self, today) -> bool:
        return (
            self.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED) and self.deadline < today
        )


def rectification_path(instance: RectificationAttachment, filename: str) -> str:
    return f"rectifications/{instance.rectification_id}/{instance.sha256[:16]}-{filename}"


class RectificationAttachment(StoredUpload):
    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=rectification_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "整改附件"


class RectificationEvent(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.event


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class CriticismNotice(models.Model):
    """通报批评: generated from a template, reviewed by the credit office, published on the portal."""

    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="notices")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="notices")
    sanction = models.ForeignKey(Sanction, null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=10000)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤回原因", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "通报批评"
        verbose_name_plural = "通报批评"

    def __str__(self) -> str:
        return self.title


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "已移送"
    HANDLING = "handling", "处理中"
    CONCLUDED = "concluded", "已办结"


class AccountabilityReferral(models.Model):
    """追究主要负责人责任: the principal responsible person at the decision date, to the 组织部."""

    record = models.ForeignKey(
        "records.CreditRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    sanction = models.ForeignKey(Sanction, null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="referrals")
    # referrals opened by other modules (``services.referrals.open_referral``), without a record
    reason = models.TextField("移送事由", blank=True)
    legal_basis = models.TextField("依据", blank=True)
    source_type = models.CharField("来源对象类型", max_length=100, blank=True)  # "app_label.model"
    source_id = models.CharField("来源对象编号", max_length=64, blank=True)
    person = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField("职务", max_length=100, blank=True)
    on_date = models.DateField("认定任职的日期")
    to_unit = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name="移送单位"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    outcome = models.TextField("处理结果", blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "责任追究移送"
        verbose_name_plural = "责任追究移送"

    def __str__(self) -> str:
        return f"移送 {self.reference}"

    @property
    def reference(self) -> str:
        """What the referral is about: the record's document number, else its source object."""
        if self.record_id:
            return self.record.document_no
        return f"{self.source_type} #{self.source_id}" if self.source_type else f"#{self.pk}"


class Notice(models.Model):
    """In-app notice (站内通知) for a user: overdue escalations, new tasks."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanction_notices"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "站内通知"

    def __str__(self) -> str:
        return self.title


class CheckConclusion(models.TextChoices):
    CLEAR = "clear", "无限制"
    ATTENTION = "attention", "需关注"
    BLOCKED = "blocked", "受限"
    ERROR = "error", "无法核查"


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Chinese stays Chinese in the stored JSON (a third of the size of \\uXXXX escapes)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


#: reason field → index key used in stored check results
COMPACT_KEYS = {"legal_basis": "lb", "measure": "mi", "item": "ii"}


class CreditCheck(models.Model):
    """One credit check (信用核查): who asked, why, for which purpose, and the stored answer."""

    serial = models.CharField("核查编号", max_length=32, unique=True)
    purpose = models.CharField("核查用途", max_length=20, choices=Purpose.choices)
    reason = models.CharField("核查事由", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="核查人"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name="核查单位"
    )
    channel = models.CharField("方式", max_length=10, default="web")
    issued_at = models.DateTimeField("出具时间")
    total = models.PositiveIntegerField("主体数", default=0)
    clear_count = models.PositiveIntegerField(default=0)
    attention_count = models.PositiveIntegerField(default=0)
    blocked_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    #: 1: results stored in the JSON column below, digest over their canonical JSON (checks issued
    #: before 2026-11-25); 2: one ``CheckResult`` row per subject, digest over the stored row texts.
    format = models.PositiveSmallIntegerField("存储格式", default=1)
    results = models.JSONField("核查结果（格式1）", default=list, encoder=UnicodeJSONEncoder)
    # Texts repeated across a batch (legal bases, measure and item names) are stored once here;
    # each stored reason points to them by index (see COMPACT_KEYS).
    bases = models.JSONField("依据文本", default=list, blank=True, encoder=UnicodeJSONEncoder)
    digest = models.CharField("报告摘要（SM3）", max_length=64)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = "信用核查"
        verbose_name_plural = "信用核查"

    def __str__(self) -> str:
        return self.serial

    @property
    def conclusion(self) -> str:
        if self.blocked_count:
            return CheckConclusion.BLOCKED
        if self.attention_count:
            return CheckConclusion.ATTENTION
        if self.clear_count:
            return CheckConclusion.CLEAR
        return CheckConclusion.ERROR

    @property
    def conclusion_label(self) -> str:
        return CheckConclusion(self.conclusion).label

    def stored_rows(self, status: str | None = None, limit: int | None = None) -> list[dict]:
        """The stored (compact) per-subject rows in batch order, optionally of one conclusion."""
        if self.format == 1:
            rows = [r for r in self.results or [] if not status or r["status"] == status]
            return rows[:limit] if limit is not None else rows
        qs = self.rows.order_by("position")
        if status:
            qs = qs.filter(status=status)
        if limit is not None:
            qs = qs[:limit]
        return [json.loads(data) for data in qs.values_list("data", flat=True)]

    def count_of(self, status: str | None) -> int:
        if not status:
            return self.total
        return {
            "clear": self.clear_count,
            "attention": self.attention_count,
            "blocked": self.blocked_count,
            "error": self.error_count,
        }.get(status, 0)

    def expand(self, rows: list[dict]) -> list[dict]:
        """Stored rows with the shared texts (legal basis, measure, item) restored."""
        bases = self.bases or []
        out = []
        for row in rows:
            if row.get("reasons") or row.get("incentives"):
                row = dict(row)
                for key in ("reasons", "incentives"):
                    if key in row:
                        items = []
                        for r in row[key]:
                            r = dict(r)
                            for name, short in COMPACT_KEYS.items():
                                if short in r:
                                    r[name] = bases[r.pop(short)]
                            items.append(r)
                        row[key] = items
            out.append(row)
        return out

    def expanded_results(self, status: str | None = None) -> list[dict]:
        return self.expand(self.stored_rows(status))

    @property
    def short_digest(self) -> str:
        return self.digest[:16]


class CheckResult(models.Model):
    """One subject's stored answer (format 2): ``data`` is the row's compact JSON text, exactly as
    hashed into the check's digest (never re-encoded), loaded with COPY on PostgreSQL."""

    credit_check = models.ForeignKey(
        CreditCheck, on_delete=models.CASCADE, related_name="rows", db_index=False
    )  # the unique (credit_check, position) index serves it
    position = models.PositiveIntegerField("序号")
    status = models.CharField("结论", max_length=10, choices=CheckConclusion.choices)
    data = models.TextField("核查结果")

    class Meta:
        ordering = ["credit_check", "position"]
        verbose_name = "信用核查结果"
        constraints = [
            models.UniqueConstraint(fields=["credit_check", "position"], name="check_result_position"),
        ]
        indexes = [
            models.Index(fields=["credit_check", "status", "position"], name="check_result_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.credit_check_id}#{self.position}"

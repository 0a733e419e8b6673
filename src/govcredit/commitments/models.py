"""Commitments 承诺 (WAVE2 §1; policy （十五）（十七）（十九）): published, tracked against deadlines,
assessed by a verifier, and changed only through a recorded, public CommitmentChange (goal-post lock)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govcredit.duties.models import LegalStatus


class Kind(models.TextChoices):
    SERVICE = "service", "服务承诺"
    ENVIRONMENT = "environment", "环境保护目标"
    TOWN_PUBLIC = "town_public", "镇街公开承诺"
    DEVELOPMENT_TARGET = "development_target", "发展目标"
    POLICY_PROMISE = "policy_promise", "政策承诺"


class SourceType(models.TextChoices):
    PLAN = "plan", "规划"
    ANNUAL_PLAN = "annual_plan", "年度计划"
    WORK_REPORT = "work_report", "政府工作报告"
    MOTION = "motion", "建议提案答复"
    OTHER = "other", "其他文件"


class Metric(models.TextChoices):
    BOOLEAN = "boolean", "是否完成"
    QUANTITY = "quantity", "数量"
    PERCENT = "percent", "百分比"
    DATE = "date", "完成日期"


class Direction(models.TextChoices):
    INCREASE = "increase", "不低于"
    DECREASE = "decrease", "不高于"


class Cadence(models.TextChoices):
    NONE = "none", "到期一次报告"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公示"
    IN_PROGRESS = "in_progress", "推进中"
    FULFILLED = "fulfilled", "已履行"
    PARTIALLY_FULFILLED = "partially_fulfilled", "部分履行"
    NOT_FULFILLED = "not_fulfilled", "未履行"
    CHANGED = "changed", "依法定程序变更"
    WITHDRAWN = "withdrawn", "已撤回"


LIVE = (Status.PUBLISHED, Status.IN_PROGRESS)
ASSESSED = (Status.FULFILLED, Status.PARTIALLY_FULFILLED, Status.NOT_FULFILLED)
PUBLIC = (*LIVE, *ASSESSED, Status.CHANGED, Status.WITHDRAWN)

# 周政发〔2018〕26号（十七）: the public services town/street credit commitments cover
SERVICE_AREAS = [
    "就业",
    "物业",
    "就学",
    "计生",
    "养老",
    "助残",
    "扶贫",
    "医保",
    "住房",
    "出行",
    "停车",
    "防火防盗",
    "拥军优属",
    "便民服务",
]


class Commitment(models.Model):
    code = models.CharField("承诺编号", max_length=30, unique=True)
    kind = models.CharField("承诺类型", max_length=24, choices=Kind.choices)
    title = models.CharField("承诺事项", max_length=300)
    content = models.TextField("承诺内容", blank=True)
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name="承诺主体", on_delete=models.PROTECT, related_name="commitments"
    )
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="责任单位", on_delete=models.PROTECT, related_name="commitments"
    )
    responsible_person = models.CharField("责任人", max_length=60, blank=True)
    source_type = models.CharField(
        "来源", max_length=16, choices=SourceType.choices, default=SourceType.OTHER
    )
    source_document = models.CharField("来源文号", max_length=120, blank=True)
    source_clause = models.CharField("条款", max_length=120, blank=True)
    source_ref = models.CharField("来源对象", max_length=60, blank=True, db_index=True)  # e.g. "motion:12"
    metric = models.CharField("指标类型", max_length=10, choices=Metric.choices, default=Metric.BOOLEAN)
    metric_unit = models.CharField("计量单位", max_length=20, blank=True)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    baseline = models.DecimalField("基期值", max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField("目标值", max_digits=18, decimal_places=4, null=True, blank=True)
    target_date = models.DateField("目标完成日期", null=True, blank=True)
    start_on = models.DateField("起始日期")
    due_on = models.DateField("承诺期限")
    cadence = models.CharField("报告频次", max_length=12, choices=Cadence.choices, default=Cadence.NONE)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=1)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级承诺",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    areas = models.JSONField("服务领域", default=list, blank=True)
    public = models.BooleanField("向社会公开", default=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("目标版本", default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "承诺"
        indexes = [
            models.Index(fields=["subject", "status"], name="commitment_subject_idx"),
            models.Index(fields=["status", "due_on"], name="commitment_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgressReport(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "已报送"
        ACCEPTED = "accepted", "已采纳"
        RETURNED = "returned", "已退回"

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField("报告期", max_length=20)
    final = models.BooleanField("到期自评报告", default=False)
    value = models.DecimalField("完成值", max_digits=18, decimal_places=4, null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    narrative = models.TextField("进展情况")
    evidence_name = models.CharField("佐证材料", max_length=200, blank=True)
    evidence_sha256 = models.CharField("佐证材料摘要", max_length=64, blank=True)
    evidence_file = models.FileField(
        "佐证材料文件", upload_to="commitments/evidence/%Y/", max_length=300, blank=True
    )
    evidence_public = models.BooleanField("佐证材料公开", default=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SUBMITTED)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("报送日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_on", "pk"]
        verbose_name = "承诺进展报告"

    def __str__(self) -> str:
        return f"{self.commitment.code} {self.period}"


class Assessment(models.Model):
    class Outcome(models.TextChoices):
        FULFILLED = "fulfilled", "已履行"
        PARTIALLY_FULFILLED = "partially_fulfilled", "部分履行"
        NOT_FULFILLED = "not_fulfilled", "未履行"

    commitment = models.OneToOneField(Commitment, on_delete=models.PROTECT, related_name="assessment")
    outcome = models.CharField("核定结果", max_length=20, choices=Outcome.choices)
    achievement = models.DecimalField("完成率（%）", max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.TextField("核定理由")
    target_version = models.PositiveIntegerField("核定所依据的目标版本")
    target_snapshot = models.JSONField("核定所依据的目标", default=dict)
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verifier_unit = models.CharField("核定单位", max_length=200, blank=True)
    assessed_on = models.DateField("核定日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "承诺核定"

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.outcome}"


class CommitmentChange(models.Model):
    """A published target changed through a recorded, public procedure (the old one stays visible)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="changes")
    version = models.PositiveIntegerField("新版本")
    old_target = models.JSONField("原目标")
    new_target = models.JSONField("新目标")
    reason = models.TextField("变更理由")
    approving_document = models.CharField("批准文件", max_length=200)
    approved_on = models.DateField("批准日期")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        verbose_name = "承诺变更"
        constraints = [
            models.UniqueConstraint(fields=["commitment", "version"], name="commitment_change_version")
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} v{self.version}"


class CommitmentRule(models.Model):
    """⚠ numbers of the commitment rules, configurable, each with its legal status and source."""

    key = models.CharField("规则", max_length=40, unique=True)
    label = models.CharField("名称", max_length=100)
    value = models.DecimalField("数值", max_digits=10, decimal_places=2)
    legal_status = models.CharField("依据性质", max_length=16, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "承诺规则"

    def __str__(self) -> str:
        return f"{self.label}={self.value}"

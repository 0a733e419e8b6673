"""The wave-2 kernel's tables: duties with due dates, findings (失信线索), the integrity-event feed,
the disclosure ledger and the reminder ladder's configurable rule rows (KERNEL_CONTRACT §2–§6)."""

from __future__ import annotations

from django.db import models

from govcredit.catalog.models import Severity


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法律法规规定"
    OFFICIAL = "official", "正式文件规定"
    UNOFFICIAL = "unofficial", "非正式来源"
    LOCAL_CHOICE = "local_choice", "本区自定"


class DutyStatus(models.TextChoices):
    OPEN = "open", "待履行"
    FULFILLED = "fulfilled", "已履行"
    CANCELLED = "cancelled", "已取消"


class Stage(models.TextChoices):
    NONE = "", "未提醒"
    NOTICE = "notice", "到期提醒"
    DUE = "due", "到期"
    URGE = "urge", "催办"
    SUPERVISE = "supervise", "督办"
    LISTED = "listed", "挂牌督办"


STAGE_ORDER = ["", "notice", "due", "urge", "supervise", "listed"]


class Duty(models.Model):
    """Anything with a due date that a module tracks; the scanner watches the open ones."""

    module = models.CharField("模块", max_length=40)
    kind = models.CharField("事项类型", max_length=40)
    object_type = models.CharField("来源对象类型", max_length=60)
    object_id = models.PositiveBigIntegerField("来源对象编号")
    key = models.CharField("子项", max_length=40, blank=True, default="")
    title = models.CharField("事项", max_length=300)
    unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name="主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("到期日")
    explain = models.TextField("期限说明", blank=True)
    status = models.CharField("状态", max_length=12, choices=DutyStatus.choices, default=DutyStatus.OPEN)
    fulfilled_on = models.DateField("履行日期", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    stage = models.CharField("提醒阶段", max_length=12, choices=Stage.choices, blank=True, default="")
    stage_on = models.DateField("提醒日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "履职事项"
        constraints = [
            models.UniqueConstraint(
                fields=["module", "kind", "object_type", "object_id", "key"], name="duty_natural_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="duty_status_due_idx"),
            models.Index(fields=["object_type", "object_id"], name="duty_object_idx"),
            models.Index(fields=["unit", "status", "due_on"], name="duty_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, as_of) -> bool:
        return self.status == DutyStatus.OPEN and self.due_on < as_of


class LadderStage(models.Model):
    """One rung of the reminder ladder (WAVE2 §0.6): reached ``offset`` working days after the due date
    (negative: before it). Configurable rule rows, each with its legal status and source."""

    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, unique=True)
    offset_working_days = models.SmallIntegerField("相对到期日的工作日数")
    notify_office = models.BooleanField("同时提醒信用办", default=False)
    active = models.BooleanField("启用", default=True)
    legal_status = models.CharField("依据性质", max_length=16, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        ordering = ["offset_working_days"]
        verbose_name = "提醒阶梯"

    def __str__(self) -> str:
        return f"{self.get_stage_display()} T{self.offset_working_days:+d}"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待提交"
    PROPOSED = "proposed", "已提交审核"
    PUBLISHED = "published", "已公示"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤销"


class Finding(models.Model):
    """失信线索: what a module's rule saw, proposed as a credit record into the normal review."""

    module = models.CharField("模块", max_length=40)
    rule = models.CharField("规则", max_length=60)
    object_type = models.CharField("来源对象类型", max_length=60)
    object_id = models.PositiveBigIntegerField("来源对象编号")
    seq = models.PositiveSmallIntegerField("序号", default=1)
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name="主体", on_delete=models.PROTECT, related_name="findings"
    )
    source_unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="提出单位", on_delete=models.PROTECT, related_name="findings"
    )
    item = models.CharField("信息类别", max_length=60)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    facts = models.TextField("失信事实")
    legal_basis = models.TextField("依据", blank=True)
    evidence = models.JSONField("证据", default=dict, blank=True)
    document_no = models.CharField("文书号", max_length=100, unique=True)
    decided_by = models.CharField("认定机关", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    problem = models.CharField("提交问题", max_length=500, blank=True)
    record = models.ForeignKey(
        "records.CreditRecord",
        verbose_name="信用记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "失信线索"
        constraints = [
            models.UniqueConstraint(
                fields=["module", "rule", "object_type", "object_id", "seq"], name="finding_natural_key"
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="finding_object_idx")]

    def __str__(self) -> str:
        return self.document_no


class Polarity(models.TextChoices):
    POSITIVE = "+", "正向"
    NEGATIVE = "-", "负向"
    FACT = "fact", "事实"


class AppendOnlyError(Exception):
    """An integrity event was to be changed or removed: the feed is append-only."""


class IntegrityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("政务诚信事件只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("政务诚信事件只能追加，不能删除")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("政务诚信事件只能追加，不能修改")


class IntegrityEvent(models.Model):
    """The evaluation's input feed: one fact about a subject's integrity, never updated."""

    subject = models.ForeignKey(
        "subjects.Subject", verbose_name="主体", on_delete=models.PROTECT, related_name="integrity_events"
    )
    dimension = models.CharField("维度", max_length=20)
    indicator = models.CharField("指标", max_length=60)
    polarity = models.CharField("方向", max_length=4, choices=Polarity.choices)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    occurred_on = models.DateField("发生日期")
    module = models.CharField("模块", max_length=40)
    object_type = models.CharField("来源对象类型", max_length=60)
    object_id = models.PositiveBigIntegerField("来源对象编号")
    key = models.CharField("子项", max_length=40, blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = IntegrityEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = "政务诚信事件"
        constraints = [
            models.UniqueConstraint(
                fields=["module", "indicator", "object_type", "object_id", "key"], name="integrity_event_key"
            )
        ]
        indexes = [models.Index(fields=["subject", "occurred_on"], name="integrity_subject_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.polarity}{self.value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("政务诚信事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("政务诚信事件只能追加，不能删除")


class DisclosureEntry(models.Model):
    """One entry of the disclosure ledger (the third SM3 chain): publish, correct or withdraw of a
    non-record publication (a commitment, a task report, a debt table …)."""

    sequence = models.BigIntegerField(unique=True)
    event = models.CharField(max_length=16)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = "公开事项日志"
        indexes = [models.Index(fields=["object_type", "object_id"], name="disclosure_object_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event} {self.object_type}:{self.object_id}"

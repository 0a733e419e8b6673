"""Objections (异议) and repair applications (信用修复申请): one case table, two kinds.

A case moves received → accepted → verifying → decided; ``returned`` (退回补正) pauses the
working-day clock of the current step until the applicant answers. Each step has a deadline in
Chinese working days; ``due_on`` caches it for lists and dashboards (recomputed when the office
enters a year's holiday table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govcredit.core.uploads import StoredUpload


class CaseKind(models.TextChoices):
    OBJECTION = "objection", "异议"
    REPAIR = "repair", "信用修复"


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "已接收，待受理"
    ACCEPTED = "accepted", "已受理"
    VERIFYING = "verifying", "核查中"
    RETURNED = "returned", "退回补正（暂停计时）"
    DECIDED = "decided", "已办结"


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.VERIFYING, CaseStatus.RETURNED)
RUNNING_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.VERIFYING)


class Outcome(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", "不予受理"
    UPHELD = "upheld", "维持原记录"
    CORRECTED = "corrected", "更正记录"
    REVOKED = "revoked", "撤销记录"
    APPROVED = "approved", "准予修复"
    DENIED = "denied", "不予修复"


OBJECTION_OUTCOMES = (Outcome.UPHELD, Outcome.CORRECTED, Outcome.REVOKED)
REPAIR_OUTCOMES = (Outcome.APPROVED, Outcome.DENIED)


class Channel(models.TextChoices):
    PORTAL = "portal", "信用周村网站"
    API = "api", "公开接口"
    OFFICE = "office", "后台代为登记"


class Step(models.TextChoices):
    ACCEPT = "accept", "受理"
    FORWARD = "forward", "转交报送单位核查"
    DECIDE = "decide", "核查并作出决定"


class DisputeCase(models.Model):
    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    tracking_code = models.CharField("查询码", max_length=64, unique=True)
    # 受理编号, e.g. YY20261203-0042 (异议) or XF20261203-0007 (修复): readable, said on the phone; on its
    # own it opens nothing — the portal asks for the applicant's contact with it. Cases filed before
    # it existed have none (their 32-character 查询码 keeps working).
    receipt_no = models.CharField("受理编号", max_length=20, unique=True, null=True, blank=True)
    record = models.ForeignKey(
        "records.CreditRecord",
        on_delete=models.PROTECT,
        related_name="dispute_cases",
        verbose_name="信用记录",
    )
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    applicant = models.CharField("申请人", max_length=100)
    contact = models.CharField("联系方式", max_length=100)
    reason = models.TextField("异议理由", blank=True, max_length=4000)
    measures_taken = models.TextField("已采取的纠正措施", blank=True, max_length=4000)
    obligations_fulfilled = models.BooleanField("声明已履行法定义务", default=False)
    commitment_text = models.TextField("信用承诺书", blank=True)
    commitment_digest = models.CharField("承诺书摘要（SM3）", max_length=64, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("接收时间")
    received_on = models.DateField("接收日期")
    # The clock of the current step.
    step = models.CharField("当前环节", max_length=10, choices=Step.choices, default=Step.ACCEPT)
    step_started_on = models.DateField("环节起算日")
    step_days = models.PositiveSmallIntegerField("环节时限（工作日）")
    paused_days = models.PositiveSmallIntegerField("本环节暂停工作日", default=0)
    due_on = models.DateField("办理期限", null=True, blank=True)
    due_estimated = models.BooleanField("期限为预估", default=False)
    resume_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    reminded_step = models.CharField(max_length=20, blank=True)
    escalated_step = models.CharField(max_length=20, blank=True)
    was_late = models.BooleanField("曾逾期", default=False)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    # Decision.
    outcome = models.CharField("办理结果", max_length=14, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField("决定理由", blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decided_on = models.DateField("办结日期", null=True, blank=True)
    handling_days = models.PositiveIntegerField("办理用时（工作日）", null=True, blank=True)
    decided_in_time = models.BooleanField("按期办结", null=True, blank=True)
    corrections = models.JSONField("更正内容", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "异议与修复案件"
        verbose_name_plural = "异议与修复案件"
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=~Q(status="decided"),
                name="dispute_one_open_case_per_record",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="dispute_status_due_idx"),
            models.Index(fields=["kind", "status"], name="dispute_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.receipt_no or self.tracking_code[:8] + '…'}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.DECIDED

    @property
    def is_paused(self) -> bool:
        return self.status == CaseStatus.RETURNED

    @property
    def public_status_label(self) -> str:
        return {
            CaseStatus.RECEIVED: "已接收，等待受理",
            CaseStatus.ACCEPTED: "已受理",
            CaseStatus.VERIFYING: "报送单位核查中" if self.kind == CaseKind.OBJECTION else "审查中",
            CaseStatus.RETURNED: "退回补正材料（暂停计时）",
            CaseStatus.DECIDED: "已办结",
        }[self.status]


class KindManager(models.Manager):
    """The cases of one kind: the manager of the two proxy models below."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Objection(DisputeCase):
    objects = KindManager(CaseKind.OBJECTION)

    class Meta:
        proxy = True
        verbose_name = "异议"


class RepairApplication(DisputeCase):
    objects = KindManager(CaseKind.REPAIR)

    class Meta:
        proxy = True
        verbose_name = "信用修复申请"


EVENT_LABELS = {
    "filed": "提交申请",
    "accepted": "受理",
    "not_accepted": "不予受理",
    "forwarded": "转交报送单位核查",
    "returned": "退回补正材料",
    "resumed": "申请人补正材料，恢复计时",
    "decided": "作出决定",
    "reminded": "即将到期提醒",
    "escalated": "逾期督办",
    "deadline_recomputed": "重算办理期限",
}


class CaseEvent(models.Model):
    """The case's history; ``public`` entries are shown to the applicant on the tracking page."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField("操作", max_length=30)
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "案件记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class CasePause(models.Model):
    """One 退回补正: the clock of ``step`` stops on ``started_on`` and resumes on ``ended_on``."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="pauses")
    step = models.CharField(max_length=10, choices=Step.choices)
    started_on = models.DateField("暂停日期")
    ended_on = models.DateField("恢复日期", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("暂停工作日", default=0)
    request = models.TextField("需补正的材料")
    answer = models.TextField("申请人补正说明", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = "暂停计时"

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_on}–{self.ended_on or '…'}"


def case_evidence_path(instance: CaseEvidence, filename: str) -> str:
    return f"disputes/{instance.case_id}/{instance.sha256[:16]}-{filename}"


class CaseEvidence(StoredUpload):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=case_evidence_path, max_length=300)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "申请材料"


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    case = models.ForeignKey(
        DisputeCase, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.CharField("接收人", max_length=200)
    audience = models.CharField("对象", max_length=20)  # applicant / handler / supervisor
    event = models.CharField("事件", max_length=30)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("内容")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"

"""Outbox events for the municipal platform, delivery batches, and inbound upstream lists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class EventStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    SENDING = "sending", "投递中"
    DELIVERED = "delivered", "已投递"
    PARKED = "parked", "已搁置"


class OutboxEvent(models.Model):
    """One publish / correct / revoke / repair / expire of a shared record (DESIGN §3 Outbox event).

    Written by the ``record_changed`` receiver inside the record's own transaction, so it exists
    exactly when the change committed. Delivery claims it with a lease (``claimed_until``); a
    worker that dies mid-batch leaves it claimable again once the lease runs out.
    """

    idempotency_key = models.CharField("幂等键", max_length=40, unique=True, default="")
    event = models.CharField("事件", max_length=16, db_index=True)
    record = models.ForeignKey(
        "records.CreditRecord",
        on_delete=models.PROTECT,
        related_name="outbox_events",
        verbose_name="信用记录",
    )
    record_version = models.PositiveIntegerField("记录版本", default=0)
    document_no = models.CharField("决定文书号", max_length=100)
    source_unit = models.CharField("报送单位", max_length=200)
    occurred_at = models.DateTimeField("发生时间")
    payload = models.JSONField("记录内容")
    status = models.CharField(
        "投递状态", max_length=12, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次投递时间")
    claimed_until = models.DateTimeField("占用截止", null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    last_attempt_at = models.DateTimeField("最近尝试", null=True, blank=True)
    delivered_at = models.DateTimeField("投递时间", null=True, blank=True)
    delivered_via = models.CharField("投递方式", max_length=120, blank=True)
    parked_at = models.DateTimeField("搁置时间", null=True, blank=True)
    parked_reason = models.TextField("搁置原因", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "交换事件"
        verbose_name_plural = "交换事件"
        indexes = [
            models.Index(fields=["status", "id"], name="outbox_status_idx"),
            # Events backing off after a failure (few, normally none): the ordering check's question.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_backoff_idx",
                condition=models.Q(status="pending", attempts__gt=0),
            ),
            models.Index(fields=["status", "claimed_until"], name="outbox_lease_idx"),
            models.Index(fields=["record", "id"], name="outbox_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.document_no}"

    def save(self, *args, **kwargs):
        if not self.idempotency_key:
            self.idempotency_key = new_idempotency_key()
        super().save(*args, **kwargs)

    @property
    def event_label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)

    def wire(self) -> dict:
        """The event as sent to the municipal platform (DESIGN §5 Outbound exchange)."""
        return {**wire_head(self), "record": self.payload}


def wire_head(event) -> dict:
    """An event's fields as sent, ahead of its ``record`` snapshot (shared with delivery's ClaimedEvent)."""
    return {
        "idempotency_key": event.idempotency_key,
        "event": event.event,
        "record_id": event.record_id,
        "document_no": event.document_no,
        "source_unit": event.source_unit,
        "occurred_at": event.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


EVENT_LABELS = {
    "publish": "公示",
    "correct": "更正",
    "revoke": "撤销",
    "repair": "信用修复",
    "expire": "公示期满",
}


class ListKind(models.TextChoices):
    DISHONEST_DEBTOR = "dishonest_debtor", "失信被执行人名单"
    SERIOUS_DISHONEST = "serious_dishonest", "严重失信主体名单"


class InboundList(models.Model):
    """One imported upstream list file."""

    kind = models.CharField("名单类型", max_length=30, choices=ListKind.choices)
    file_name = models.CharField("文件名", max_length=200)
    sm3 = models.CharField("文件 SM3", max_length=64)
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, verbose_name="信息类别")
    severity = models.CharField("严重程度", max_length=10)
    source_unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="报送单位"
    )
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    total = models.PositiveIntegerField("条目数", default=0)
    matched = models.PositiveIntegerField("代码匹配", default=0)
    name_only = models.PositiveIntegerField("仅名称匹配", default=0)
    unmatched = models.PositiveIntegerField("未匹配", default=0)
    duplicates = models.PositiveIntegerField("重复条目", default=0)
    invalid = models.PositiveIntegerField("无效条目", default=0)
    proposed = models.PositiveIntegerField("已提交审核", default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = "上游名单导入"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class MatchStatus(models.TextChoices):
    MATCHED = "matched", "代码匹配"
    NAME_ONLY = "name_only", "仅名称匹配（待确认）"
    CONFIRMED = "confirmed", "已人工确认"
    DISMISSED = "dismissed", "已排除"
    UNMATCHED = "unmatched", "未匹配本区主体"
    DUPLICATE = "duplicate", "重复（此前已导入）"
    INVALID = "invalid", "无效"


class InboundEntry(models.Model):
    """One line of an upstream list. ``dedup_key`` makes a repeated import propose nothing new."""

    inbound_list = models.ForeignKey(InboundList, on_delete=models.PROTECT, related_name="entries")
    line_no = models.PositiveIntegerField("行号")
    name = models.CharField("名称", max_length=200, blank=True)
    is_person = models.BooleanField(default=False)
    # Organisations: the USCC in clear. People: only masked + keyed hash + SM4 ciphertext.
    code_display = models.CharField("代码", max_length=40, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_cipher = models.TextField(blank=True)
    document_no = models.CharField("文书号", max_length=100, blank=True)
    decided_on = models.DateField("日期", null=True, blank=True)
    decided_by = models.CharField("决定机关", max_length=200, blank=True)
    facts = models.TextField("失信情形", blank=True)
    match = models.CharField("匹配结果", max_length=12, choices=MatchStatus.choices)
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        "records.CreditRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    dedup_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["inbound_list", "line_no"]
        verbose_name = "名单条目"

    def __str__(self) -> str:
        return f"{self.inbound_list_id}:{self.line_no}"

    @property
    def display_name(self) -> str:
        if self.is_person and self.name:
            if len(self.name) <= 2:
                return self.name[0] + "*"
            return self.name[0] + "*" * (len(self.name) - 2) + self.name[-1]
        return self.name

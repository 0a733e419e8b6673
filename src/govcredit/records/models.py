from __future__ import annotations

from django.conf import settings
from django.db import models

from govcredit.catalog.models import Disclosure, Severity
from govcredit.core.uploads import StoredUpload


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    REJECTED = "rejected", "已驳回"
    PUBLISHED = "published", "已公示"
    UNDER_OBJECTION = "under_objection", "异议处理中"
    REVOKED = "revoked", "已撤销"
    REPAIRED = "repaired", "已修复"
    EXPIRED = "expired", "已过期"


# Statuses in which a record counts against its subject (and shows in public when disclosure allows).
LIVE_STATUSES = (Status.PUBLISHED, Status.UNDER_OBJECTION)
EDITABLE_STATUSES = (Status.DRAFT, Status.REJECTED)


class CreditRecord(models.Model):
    # FK indexes left out (db_index=False): subject and source_unit lead the composite indexes below,
    # and nothing looks records up by catalog version or by the users who handled them. Every index
    # costs every bulk import (issue 5: ~20% of the database's work).
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name="主体",
        db_index=False,
    )
    # Indexed (records_creditrecord_item_id_…): the item filters of the records list, the API's
    # list and the portal (item__code = …), disputes' same-subject-and-item query, PROTECT on
    # deleting a catalog item.
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.PROTECT, related_name="records", verbose_name="信息类别"
    )
    catalog_version = models.ForeignKey(
        "catalog.CatalogItemVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="目录版本",
        db_index=False,
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    facts = models.TextField("失信事实", max_length=2000)
    document_no = models.CharField("决定文书号", max_length=100)
    decided_on = models.DateField("决定日期")
    decided_by = models.CharField("决定机关", max_length=200)
    outcome = models.TextField("处理结果", blank=True, max_length=2000)
    legal_basis = models.TextField("法律依据", blank=True, max_length=2000)
    source_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="submitted_records",
        verbose_name="报送单位",
        db_index=False,
    )
    disclosure = models.CharField(
        "公开方式", max_length=10, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    # Set when another module (commitments, complaints, inbound lists …) proposed the record.
    proposed_by = models.CharField("来源模块", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    publish_until = models.DateField("公示截止日期", null=True, blank=True)
    repairable_from = models.DateField("可申请修复日期", null=True, blank=True)
    ended_at = models.DateTimeField("结束公示时间", null=True, blank=True)
    end_reason = models.TextField("结束原因", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        constraints = [
            models.UniqueConstraint(fields=["source_unit", "document_no"], name="record_natural_key"),
        ]
        # Every index names the queries that read it (records 0005 says the same). Imports write
        # drafts and submitted records: the partial indexes cover live records only, so an import
        # does not maintain them (a record enters them when it is published).
        indexes = [
            # records.services.expire_due_records, the 工作台 "expiring" tile and the records list's
            # 即将到期 filter: status IN LIVE_STATUSES AND publish_until <, BETWEEN …
            models.Index(
                fields=["publish_until"],
                condition=models.Q(status__in=LIVE_STATUSES),
                name="record_live_until_idx",
            ),
            # a subject's records: portal subject page and search (public_records().filter(subject)),
            # records_for for subject users, credit checks, disputes, sanctions; PROTECT on delete.
            models.Index(fields=["subject", "status"], name="record_subject_status_idx"),
            # records_for for clerks (source_unit_id IN …) with the status filters and tile counts.
            models.Index(fields=["source_unit", "status"], name="record_unit_status_idx"),
            # 信用周村's latest records and its "newest/oldest published" sorts:
            # public_records().order_by("-published_at", "-id").
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status__in=LIVE_STATUSES, disclosure=Disclosure.PUBLIC),
                name="record_public_pub_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.document_no

    @property
    def is_public(self) -> bool:
        return self.status in LIVE_STATUSES and self.disclosure == Disclosure.PUBLIC

    @property
    def negative(self) -> bool:
        return self.item.negative


class RecordVersion(models.Model):
    """Immutable snapshot written by every change; corrections add versions, nothing is deleted."""

    # No separate index on record: the (record, number) unique constraint leads with it.
    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, related_name="versions", db_index=False
    )
    number = models.PositiveIntegerField("版本号")
    change = models.CharField("变更", max_length=20)
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    snapshot = models.JSONField()
    reason = models.TextField("原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="record_version_unique")]
        verbose_name = "记录版本"

    def __str__(self) -> str:
        return f"{self.record_id} v{self.number}"


class StatusChange(models.Model):
    """One row per state transition (healthchecks' Flip): the record's visible history."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="status_changes")
    event = models.CharField("事件", max_length=30)
    old_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    reason = models.TextField("原因", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "状态变更"

    def __str__(self) -> str:
        return f"{self.record_id} {self.old_status}→{self.new_status}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.record_id}/{instance.sha256[:16]}-{filename}"


class Evidence(StoredUpload):
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "证据材料"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class CorrectionRequest(models.Model):
    """A proposed correction of a published record; applied by a second person (four-eyes)."""

    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, related_name="correction_requests", verbose_name="信用记录"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    # {field: new value} over records.services.CORRECTABLE_FIELDS; dates as ISO strings.
    changes = models.JSONField("更正内容")
    # The same fields' values when the request was filed, to show old → new.
    original = models.JSONField("原内容", default=dict)
    reason = models.TextField("更正理由", max_length=2000)
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "更正申请"
        verbose_name_plural = "更正申请"
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(status="pending"),
                name="correction_one_pending_per_record",
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="correction_status_idx")]

    def __str__(self) -> str:
        return f"更正申请 #{self.pk}（{self.record_id}）"


class NameMismatch(models.Model):
    """A record filed with a subject name that is neither the registered name, an alias nor a former
    name of the subject its code names (issue 13 point 1). Only those who may rename subjects file
    such a record; the reviewer must confirm the name before publishing it."""

    record = models.OneToOneField(
        CreditRecord, on_delete=models.PROTECT, related_name="name_mismatch", verbose_name="信用记录"
    )
    submitted_name = models.CharField("报送的主体名称", max_length=200)
    registered_name = models.CharField("登记名称（报送时）", max_length=200)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "主体名称不一致"
        verbose_name_plural = "主体名称不一致"

    def __str__(self) -> str:
        return f"{self.submitted_name} ≠ {self.registered_name}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def shown_submitted_name(self) -> str:
        """The name as submitted, masked for people (as every name of a person on screen)."""
        if self.record.subject.is_person:
            from govcredit.core.codes import mask_name

            return mask_name(self.submitted_name)
        return self.submitted_name

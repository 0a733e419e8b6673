from __future__ import annotations

from django.conf import settings
from django.db import models


class ChainHead(models.Model):
    """The last sequence and hash of a hash chain; rows are locked to append in order."""

    name = models.CharField(max_length=32, unique=True)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.name}#{self.sequence}"


class AuditEntry(models.Model):
    """One entry of the audit ledger: who did what to which object, before → after, SM3-chained."""

    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = "审计记录"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class TransparencyEntry(models.Model):
    """One entry of the public transparency log (DESIGN §5): publish, correct or withdraw."""

    sequence = models.BigIntegerField(unique=True)
    event = models.CharField(max_length=16)
    record_id = models.BigIntegerField(db_index=True)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = "公开日志"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event} {self.record_id}"


class HolidayOverride(models.Model):
    """The credit office's own working-day table for years the calendar package does not know."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示调休上班日；不勾选表示法定节假日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'}"


class CalendarYear(models.Model):
    """A year whose full holiday table the credit office has entered (so deadlines are not estimates)."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "工作日历年度"

    def __str__(self) -> str:
        return str(self.year)


class PeriodicRun(models.Model):
    """When each periodic job was last enqueued; a compare-and-swap on it keeps two schedulers from doubling up."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

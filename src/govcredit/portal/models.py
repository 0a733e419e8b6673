"""信用报告 issued on the portal: what a subject's public credit information said when it was downloaded."""

from __future__ import annotations

from django.db import models


class SubjectReport(models.Model):
    """One issued 信用报告. ``content`` is the canonical JSON the PDF was rendered from, stored byte for
    byte; ``digest`` is its SM3, printed on the report, so anyone can check a printout on the verify page.
    The same subject on the same day with the same public records gets the same report back."""

    serial = models.CharField("报告编号", max_length=24, unique=True)
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("出具时间")
    issued_on = models.DateField("出具日期")
    content = models.TextField("报告内容")
    digest = models.CharField("报告摘要（SM3）", max_length=64)

    class Meta:
        verbose_name = "信用报告"
        verbose_name_plural = "信用报告"
        indexes = [models.Index(fields=["subject", "issued_on", "digest"], name="portal_report_reuse")]

    def __str__(self) -> str:
        return self.serial

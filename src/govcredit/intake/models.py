from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One file uploaded in the back office: previewed (dry run), then imported on confirmation."""

    class State(models.TextChoices):
        PREVIEWING = "previewing", "检查中"
        PREVIEWED = "previewed", "待确认"
        IMPORTING = "importing", "导入中"
        DONE = "done", "已完成"
        REFUSED = "refused", "文件无法导入"
        CANCELLED = "cancelled", "已取消"
        FAILED = "failed", "出错"

    source_unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="import_jobs", verbose_name="报送单位"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file_name = models.CharField("文件名", max_length=200)
    stored_path = models.CharField(max_length=500)
    report_path = models.CharField(max_length=500, blank=True)
    file_sm3 = models.CharField(max_length=64, blank=True)
    encoding = models.CharField("文件编码", max_length=30, blank=True)
    submit = models.BooleanField("导入后提交审核", default=False)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PREVIEWING)
    progress_total = models.BigIntegerField(default=0)
    progress_done = models.BigIntegerField(default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    preview = models.JSONField("检查结果", default=dict, blank=True)
    result = models.JSONField("导入结果", default=dict, blank=True)
    problems = models.JSONField("问题（前200个）", default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    message = models.TextField("说明", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"

    def __str__(self) -> str:
        return self.file_name

    @property
    def running(self) -> bool:
        return self.state in (self.State.PREVIEWING, self.State.IMPORTING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

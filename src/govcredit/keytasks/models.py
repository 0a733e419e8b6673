"""The annex of 周政发〔2018〕26号: 加强政务诚信建设重点任务分工及进度安排 — 18 key tasks, their lead and
cooperating units, deadlines, and the units' periodic progress reports with evidence.

Each lead unit's report of a period is a kernel ``Duty`` (``govcredit.duties``), so ``duties scan``
reminds and escalates it; a task with a deadline also has one completion duty per lead unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法律法规规定"
    OFFICIAL = "official", "正式文件规定"
    UNOFFICIAL = "unofficial", "非正式来源"
    LOCAL_CHOICE = "local_choice", "本区自定"


class Cadence(models.TextChoices):
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


class ReportingRule(models.Model):
    """How often lead units report and how long after a period's end (one row, editable by the
    credit office, with its legal status and source — the annex itself sets no reporting rhythm)."""

    key = models.CharField("规则代码", max_length=40, unique=True, default="default")
    cadence = models.CharField("报送周期", max_length=12, choices=Cadence.choices, default=Cadence.HALF_YEAR)
    due_working_days = models.PositiveSmallIntegerField("期末后报送时限（工作日）", default=10)
    tracking_from = models.DateField("起始报送期所含日期")
    legal_status = models.CharField("依据性质", max_length=16, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "重点任务报送规则"

    def __str__(self) -> str:
        return f"{self.get_cadence_display()}，期末后{self.due_working_days}个工作日内报送"


class KeyTask(models.Model):
    number = models.PositiveSmallIntegerField("序号", unique=True)
    title = models.CharField("工作任务", max_length=200)
    responsibility = models.CharField("责任单位（附件原文）", max_length=300)
    lead_mode = models.CharField(
        "牵头方式", max_length=12, choices=[("lead", "牵头"), ("separate", "分别负责")], default="lead"
    )
    cooperating = models.JSONField("配合单位", default=list, blank=True)
    schedule = models.CharField("时间进度（附件原文）", max_length=100)
    deadline = models.DateField("完成时限", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    policy_section = models.CharField("对应条款", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def ongoing(self) -> bool:
        return self.deadline is None


class TaskLead(models.Model):
    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="leads")
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("排序")

    class Meta:
        ordering = ["task", "position"]
        verbose_name = "牵头单位"
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="keytask_lead_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.unit_id}"


class Progress(models.TextChoices):
    ON_TRACK = "on_track", "按计划推进"
    COMPLETED = "completed", "已完成"
    DELAYED = "delayed", "进度滞后"


class TaskReport(models.Model):
    """One lead unit's progress report for one period: public once submitted (disclosure ledger)."""

    task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("报送期", max_length=8)
    period_start = models.DateField("报送期起")
    period_end = models.DateField("报送期止")
    due_on = models.DateField("报送时限")
    progress = models.CharField("进展", max_length=12, choices=Progress.choices)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    summary = models.TextField("工作进展", max_length=4000)
    problems = models.TextField("存在问题和下步打算", max_length=2000, blank=True)
    figures = models.JSONField("系统数据（报送时）", default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间")
    submitted_on = models.DateField("报送日期")
    on_time = models.BooleanField("按期报送")

    class Meta:
        ordering = ["-period_end", "task", "pk"]
        verbose_name = "重点任务进展报告"
        verbose_name_plural = "重点任务进展报告"
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="keytask_report_once"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="keytask_period_ordered"
            ),
        ]
        indexes = [models.Index(fields=["task", "period_end"], name="keytask_report_task_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.period} {self.unit_id}"


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    return f"keytasks/{instance.report_id}/{instance.sha256[:16]}-{filename}"


class TaskEvidence(models.Model):
    report = models.ForeignKey(TaskReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "佐证材料"

    def __str__(self) -> str:
        return self.original_name

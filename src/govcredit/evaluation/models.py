"""政务诚信评价 (policy （九）（十九）（二十）, WAVE2 §6): versioned indicator sets, evaluation runs with
frozen inputs, score lines that explain themselves down to record and event ids, unit results with
grade and rank (towns/sub-districts and departments ranked apart), self-assessment evidence, appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govcredit.core.uploads import StoredUpload
from govcredit.duties.models import LegalStatus


class SetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "启用"
    RETIRED = "retired", "停用"


class Applies(models.TextChoices):
    ALL = "all", "镇（街道）和部门"
    TOWN = "town", "仅镇（街道）"
    DEPARTMENT = "department", "仅部门"


class Group(models.TextChoices):
    TOWN = "town", "镇（街道）"
    DEPARTMENT = "department", "区直部门"


class IndicatorSet(models.Model):
    """One version of the indicator system. Editing an active or used set makes a new version."""

    code = models.CharField("指标体系代码", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    approving_document = models.CharField("批准文件", max_length=200, blank=True)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, default=100)
    #: [{"grade": "A", "label": "优秀", "min": "90"}, …] highest first; the last band has min 0
    bands = models.JSONField("等次划分", default=list)
    bands_legal_status = models.CharField(
        "等次划分依据性质", max_length=16, choices=LegalStatus.choices, default=LegalStatus.LOCAL_CHOICE
    )
    bands_source = models.CharField("等次划分依据", max_length=300, blank=True)
    appeal_working_days = models.PositiveSmallIntegerField("申诉期（工作日）", default=5)
    appeal_legal_status = models.CharField(
        "申诉期依据性质", max_length=16, choices=LegalStatus.choices, default=LegalStatus.LOCAL_CHOICE
    )
    methodology = models.TextField("评价方法说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "评价指标体系"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="evaluation_set_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Indicator(models.Model):
    """A node of the set's tree (at most three levels); only leaves score. ``method`` names a provider
    of ``evaluation.methods`` (built-in or contributed by an app's ``evaluation_methods.py``)."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="上级指标",
    )
    code = models.CharField("指标代码", max_length=40)
    name = models.CharField("指标名称", max_length=200)
    level = models.PositiveSmallIntegerField("级别", default=1)
    points = models.DecimalField("分值", max_digits=8, decimal_places=2, default=0)
    method = models.CharField("计分方法", max_length=40, blank=True)
    params = models.JSONField("方法参数", default=dict, blank=True)
    applies_to = models.CharField("适用对象", max_length=12, choices=Applies.choices, default=Applies.ALL)
    description = models.TextField("评分标准", blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "评价指标"
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="evaluation_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ConferenceMember(models.Model):
    """A member unit of the 区社会信用体系建设联席会议 that reviews runs (policy （九）)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="成员单位"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "联席会议成员单位"

    def __str__(self) -> str:
        return str(self.organisation)


class RunStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SELF_ASSESSMENT = "self_assessment", "单位自评"
    REVIEW = "review", "联席会议审核"
    PUBLISHED = "published", "已公布"
    APPEAL = "appeal", "申诉处理中"
    FINAL = "final", "已终定"


RUN_FLOW = [s.value for s in RunStatus]


class EvaluationRun(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="runs")
    #: the set as it was when the run was opened (the run never follows later edits)
    set_snapshot = models.JSONField(default=dict)
    period = models.CharField("评价期", max_length=10)
    period_start = models.DateField("评价期起")
    period_end = models.DateField("评价期止")
    as_of = models.DateField("数据截止日")
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT)
    inputs_hash = models.CharField("输入摘要（SM3）", max_length=64, blank=True)
    result_hash = models.CharField("结果摘要（SM3）", max_length=64, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_hash = models.CharField("公布时摘要", max_length=64, blank=True)
    appeal_due = models.DateField("申诉截止日", null=True, blank=True)
    appeal_explain = models.TextField("申诉期限说明", blank=True)
    finalised_at = models.DateTimeField("终定时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = "评价批次"
        indexes = [models.Index(fields=["status", "period"], name="evaluation_run_status_idx")]

    def __str__(self) -> str:
        return f"{self.period}年度政务诚信评价（截至{self.as_of:%Y-%m-%d}）"

    @property
    def is_public(self) -> bool:
        return self.status in (RunStatus.PUBLISHED, RunStatus.APPEAL, RunStatus.FINAL)

    @property
    def year(self) -> int:
        return int(self.period[:4])


class UnitResult(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    group = models.CharField("排名组", max_length=12, choices=Group.choices)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, default=0)
    grade = models.CharField("等次", max_length=4, blank=True)
    grade_label = models.CharField("等次名称", max_length=20, blank=True)
    rank = models.PositiveIntegerField("组内名次", null=True, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    veto_reason = models.TextField("否决原因", blank=True)

    class Meta:
        ordering = ["group", "rank", "pk"]
        verbose_name = "单位评价结果"
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="evaluation_result_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.total}"


class LineState(models.TextChoices):
    AUTO = "auto", "自动计分"
    PENDING = "pending", "待自评"
    CLAIMED = "claimed", "已自评"
    REVIEWED = "reviewed", "已审核"


class ScoreLine(models.Model):
    """One leaf indicator for one unit: the frozen inputs (``inputs``), the raw value, the points and
    the explanation (``explanation.inputs`` = the record and event ids behind the points)."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="lines")
    result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="lines")
    indicator_code = models.CharField("指标代码", max_length=40)
    method = models.CharField("计分方法", max_length=40)
    inputs = models.JSONField("冻结输入", default=dict)
    raw_value = models.DecimalField("原始值", max_digits=18, decimal_places=4, null=True, blank=True)
    points = models.DecimalField("得分", max_digits=8, decimal_places=2, default=0)
    explanation = models.JSONField("得分说明", default=dict)
    state = models.CharField("状态", max_length=10, choices=LineState.choices, default=LineState.AUTO)
    claimed_points = models.DecimalField("自评分", max_digits=8, decimal_places=2, null=True, blank=True)
    claim_note = models.TextField("自评说明", blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_points = models.DecimalField("审核分", max_digits=8, decimal_places=2, null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["result", "pk"]
        verbose_name = "评分明细"
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator_code"], name="evaluation_line_indicator")
        ]
        indexes = [models.Index(fields=["run", "state"], name="evaluation_line_state_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.points}"


def _evidence_path(instance, filename):
    return f"evaluation/{instance.line.run_id}/{filename}"


class ClaimEvidence(StoredUpload):
    line = models.ForeignKey(ScoreLine, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "自评佐证材料"


class AppealStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class Appeal(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="appeals")
    result = models.ForeignKey(UnitResult, on_delete=models.PROTECT, related_name="appeals")
    line = models.ForeignKey(
        ScoreLine, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField("申诉理由")
    requested_points = models.DecimalField("请求分值", max_digits=8, decimal_places=2, null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("申诉日期")
    status = models.CharField("状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    decision = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "评价申诉"

    def __str__(self) -> str:
        return f"申诉 {self.pk}"

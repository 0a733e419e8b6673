"""Administrative service commitments and the 蜗牛奖 (policy （六）, WAVE2 §12): service items with legal and
promised working-day limits (行政许可法第四十二条、第八十二条), 办件 with excluded intervals
(第四十五条) and the 一次性告知 rule (第三十二条), monthly efficiency per unit, and the 蜗牛奖 awards
(周村区, since April 2018) with reasons, rectification, follow-up and the unit's appeal."""

from __future__ import annotations

from django.db import models


class ItemKind(models.TextChoices):
    INSTANT = "instant", "即办件"
    PROMISED = "promised", "承诺件"


class ServiceItem(models.Model):
    code = models.CharField("事项编码", max_length=60, unique=True)
    name = models.CharField("事项名称", max_length=200)
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("办件类型", max_length=10, choices=ItemKind.choices)
    legal_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    tolerated_materials = models.TextField("容缺受理材料", blank=True)
    notice_template = models.TextField("一次性告知单", blank=True)
    basis = models.CharField("设定依据", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "code"]
        verbose_name = "政务服务事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CaseFile(models.Model):
    """办件: the clock runs in working days from acceptance, excluded intervals (听证、检测、专家评审…)
    not counted."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+"
    )
    case_no = models.CharField("办件编号", max_length=60, unique=True)
    received_on = models.DateField("受理日期")
    completed_on = models.DateField("办结日期", null=True, blank=True)
    notices = models.JSONField("补正告知日期", default=list, blank=True)
    excluded = models.JSONField("不计入期间", default=list, blank=True)
    due_on = models.DateField("承诺办结期限")
    due_explain = models.TextField("期限说明")
    working_days = models.PositiveSmallIntegerField("实际用时（工作日）", null=True, blank=True)
    overrun_days = models.PositiveSmallIntegerField("超期（工作日）", default=0)
    repeated_notice = models.BooleanField("多次告知", default=False)
    late_notice = models.BooleanField("超过5日告知", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "办件"
        indexes = [models.Index(fields=["unit", "completed_on"], name="casefile_unit_done_idx")]

    def __str__(self) -> str:
        return self.case_no


class AwardStatus(models.TextChoices):
    DECIDED = "decided", "已评定"
    PUBLISHED = "published", "已通报"
    APPEALED = "appealed", "申诉中"
    UPHELD = "upheld", "申诉驳回，维持"
    REVOKED = "revoked", "申诉成立，撤销"
    RECTIFIED = "rectified", "已整改"


class SnailAward(models.Model):
    period = models.CharField("评选期间", max_length=10)
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="获“奖”单位", on_delete=models.PROTECT, related_name="+"
    )
    criteria_version = models.CharField("评选标准版本", max_length=40)
    evidence = models.JSONField("依据（办件与效率指标）", default=dict)
    decided_on = models.DateField("评定日期")
    committee = models.CharField("评定机构", max_length=200)
    reasons = models.TextField("评定理由")
    rectification_due = models.DateField("整改期限")
    follow_up = models.TextField("整改情况", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=AwardStatus.choices, default=AwardStatus.DECIDED)
    published_on = models.DateField("通报日期", null=True, blank=True)
    appeal_due = models.DateField("申诉期限", null=True, blank=True)
    appeal_reason = models.TextField("申诉理由", blank=True)
    appeal_answer = models.TextField("申诉答复", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "pk"]
        verbose_name = "蜗牛奖"
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="snail_award_period_unit")]

    def __str__(self) -> str:
        return f"{self.period} 蜗牛奖 {self.unit}"


class SnailCriteria(models.Model):
    """The nomination rule of one version (⚠ the district's own choice: 周村区 publishes no numeric
    criteria; 缙云 publishes 7 criteria, 遵义红花岗 6 situations). Edited by the credit office."""

    version = models.CharField("版本", max_length=40, unique=True)
    active = models.BooleanField("现行", default=True)
    min_cases = models.PositiveIntegerField("参评最少办件数", default=5)
    on_time_below = models.DecimalField("按时办结率低于（%）", max_digits=5, decimal_places=2, default=90)
    overruns_at_least = models.PositiveIntegerField("或超期办件不少于", default=3)
    repeated_notices_at_least = models.PositiveIntegerField("或多次告知不少于", default=3)
    max_candidates = models.PositiveSmallIntegerField("候选单位上限", default=3)
    rectification_working_days = models.PositiveSmallIntegerField("整改期限（工作日）", default=20)
    appeal_working_days = models.PositiveSmallIntegerField("申诉期限（工作日）", default=5)
    legal_status = models.CharField("依据性质", max_length=16, default="local_choice")
    source = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "蜗牛奖评选标准"

    def __str__(self) -> str:
        return self.version

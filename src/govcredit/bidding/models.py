"""Bidding credit (policy （十三）): market-participant roles, violation decisions, the public
招标投标失信名单, credit evaluations of bidders / agencies / experts, third-party credit reports and
the pre-开标 batch checks.

A violation is an ordinary credit record of item ``bidding_violation`` (submitted through intake);
``Conduct`` keeps what the record format has no column for (the restriction period the decision
names, the violated article). A list entry is a published record plus the disqualification sanction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class MarketRole(models.TextChoices):
    BIDDER = "bidder", "投标人"
    AGENCY = "agency", "招标代理机构"
    EXPERT = "expert", "评标专家"
    PRACTITIONER = "practitioner", "从业人员"


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法定"
    OFFICIAL = "official", "官方文件"
    UNOFFICIAL = "unofficial", "非官方"
    LOCAL_CHOICE = "local_choice", "本地选择"


class ParticipantRole(models.Model):
    """A market subject (enterprise or person) acting in the bidding market in a role."""

    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="market_roles")
    role = models.CharField("角色", max_length=20, choices=MarketRole.choices)
    qualification = models.CharField("资质/专业", max_length=200, blank=True)
    registered_on = models.DateField("登记日期")
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "subject__name"]
        verbose_name = "市场主体角色"
        verbose_name_plural = "市场主体角色"
        constraints = [models.UniqueConstraint(fields=["subject", "role"], name="bidding_role_unique")]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_role_display()}"


class Violation(models.TextChoices):
    """Coded violations (招标投标法实施条例). The article decides the restriction range."""

    COLLUSION = "collusion", "串通投标、以行贿谋取中标（实施条例第六十七条）"
    FRAUD = "fraud", "以他人名义投标或弄虚作假骗取中标（实施条例第六十八条）"
    EXPERT_MISCONDUCT = "expert_misconduct", "评标专家违规评标（实施条例第七十一条）"
    AGENCY_MISCONDUCT = "agency_misconduct", "招标代理机构违法代理（招标投标法第五十条）"
    EVASION = "evasion", "必须招标的项目不招标或规避招标（招标投标法第四十九条）"
    INTERFERENCE = "interference", "国家工作人员非法干涉招标投标活动（实施条例第八十条）"
    OTHER = "other", "其他招标投标违法行为"


#: (minimum, maximum) months of 取消投标资格 by article; ✅ 实施条例 Art 67 (1–2 years), Art 68 (1–3 years)
RESTRICTION_RANGE = {
    Violation.COLLUSION: (12, 24),
    Violation.FRAUD: (12, 36),
}
ARTICLE = {
    Violation.COLLUSION: "《中华人民共和国招标投标法实施条例》第六十七条",
    Violation.FRAUD: "《中华人民共和国招标投标法实施条例》第六十八条",
    Violation.EXPERT_MISCONDUCT: "《中华人民共和国招标投标法实施条例》第七十一条",
    Violation.AGENCY_MISCONDUCT: "《中华人民共和国招标投标法》第五十条",
    Violation.EVASION: "《中华人民共和国招标投标法》第四十九条",
    Violation.INTERFERENCE: "《中华人民共和国招标投标法实施条例》第八十条",
    Violation.OTHER: "",
}


class Conduct(models.Model):
    """The structured part of a violation decision (招标投标违法行为记录公告暂行办法 Art 8)."""

    record = models.OneToOneField("records.CreditRecord", on_delete=models.PROTECT, related_name="conduct")
    violation = models.CharField("违法行为类别", max_length=30, choices=Violation.choices)
    role = models.CharField("当事人角色", max_length=20, choices=MarketRole.choices, blank=True)
    project_name = models.CharField("招标项目", max_length=200, blank=True)
    restriction_months = models.PositiveSmallIntegerField("取消投标资格期限（月）", null=True, blank=True)
    restriction_start = models.DateField("限制起始日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "招标投标违法行为"
        verbose_name_plural = "招标投标违法行为"

    def __str__(self) -> str:
        return f"{self.get_violation_display()} · {self.record_id}"


class BlacklistEntry(models.Model):
    """An entry of the public 招标投标失信名单: shown from publication until the longer of 6 months
    and the restriction (Art 9), then archived (still queryable)."""

    record = models.OneToOneField("records.CreditRecord", on_delete=models.PROTECT, related_name="blacklist")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    sanction = models.ForeignKey("sanctions.Sanction", null=True, blank=True, on_delete=models.PROTECT)
    listed_on = models.DateField("公告日期")
    restriction_end = models.DateField("限制截止日期", null=True, blank=True)
    list_until = models.DateField("公告截止日期")
    window_note = models.CharField("公告期限说明", max_length=300)
    delisted_on = models.DateField("移出公告日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤下原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = "招标投标失信名单"
        verbose_name_plural = "招标投标失信名单"
        indexes = [models.Index(fields=["delisted_on", "list_until"], name="bid_blacklist_window_idx")]

    def __str__(self) -> str:
        return f"{self.subject} · {self.listed_on}"

    def on_list(self, today: dt.date) -> bool:
        return self.delisted_on is None and self.list_until >= today


class IndicatorKind(models.TextChoices):
    DEDUCTION = "deduction", "扣分"
    ADDITION = "addition", "加分"


class IndicatorSource(models.TextChoices):
    RECORD = "record", "信用记录"
    REPORT = "report", "第三方信用报告"


class EvaluationIndicator(models.Model):
    """A configurable evaluation line (⚠ the district's choice): points per matching record or
    per valid verified third-party report, capped."""

    code = models.SlugField("指标代码", max_length=50, unique=True)
    name = models.CharField("指标名称", max_length=100)
    role = models.CharField("适用角色", max_length=20, choices=MarketRole.choices, blank=True)
    kind = models.CharField("类型", max_length=10, choices=IndicatorKind.choices)
    source = models.CharField("依据来源", max_length=10, choices=IndicatorSource.choices)
    item_code = models.CharField("目录事项代码", max_length=50, blank=True)
    severity = models.CharField("严重程度", max_length=10, blank=True)
    grades = models.CharField("报告等级（逗号分隔）", max_length=50, blank=True)
    points = models.DecimalField("每项分值", max_digits=6, decimal_places=2)
    cap = models.DecimalField("上限", max_digits=6, decimal_places=2)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    source_note = models.CharField("来源说明", max_length=300)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "信用评价指标"
        verbose_name_plural = "信用评价指标"

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """Score → grade (A–D ⚠: no official scheme found, a local choice)."""

    grade = models.CharField("等级", max_length=5, unique=True)
    min_score = models.DecimalField("最低分", max_digits=6, decimal_places=2)
    label = models.CharField("说明", max_length=50)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    source_note = models.CharField("来源说明", max_length=300)

    class Meta:
        ordering = ["-min_score"]
        verbose_name = "评价等级"
        verbose_name_plural = "评价等级"

    def __str__(self) -> str:
        return self.grade


class CreditEvaluation(models.Model):
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=20, choices=MarketRole.choices)
    period = models.CharField("评价期", max_length=7)  # YYYY-MM
    as_of = models.DateField("评价基准日")
    base = models.DecimalField("基础分", max_digits=6, decimal_places=2)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    grade = models.CharField("等级", max_length=5)
    lines = models.JSONField("评分明细", default=list)
    digest = models.CharField("摘要（SM3）", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "subject__name"]
        verbose_name = "信用评价"
        verbose_name_plural = "信用评价"
        constraints = [
            models.UniqueConstraint(fields=["subject", "role", "period"], name="bid_evaluation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.period} {self.grade}"


class ReportStatus(models.TextChoices):
    REGISTERED = "registered", "待核验"
    VERIFIED = "verified", "核验通过"
    REJECTED = "rejected", "核验不通过"


class ThirdPartyReport(models.Model):
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    agency = models.CharField("出具机构", max_length=200)
    report_no = models.CharField("报告编号", max_length=100)
    grade = models.CharField("信用等级", max_length=10)
    issued_on = models.DateField("出具日期")
    valid_until = models.DateField("有效期至")
    status = models.CharField("核验状态", max_length=12, choices=ReportStatus.choices, default="registered")
    verify_note = models.CharField("核验说明", max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "第三方信用报告"
        verbose_name_plural = "第三方信用报告"
        constraints = [
            models.UniqueConstraint(fields=["agency", "report_no"], name="bid_report_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="bid_report_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.report_no}"

    def is_valid(self, today: dt.date) -> bool:
        return self.status == ReportStatus.VERIFIED and self.issued_on <= today <= self.valid_until


class BidCheck(models.Model):
    """A pre-开标 batch check of a bidder list: the stored credit check plus the project and file."""

    project_name = models.CharField("招标项目", max_length=200)
    project_code = models.CharField("项目编号", max_length=60, blank=True)
    opening_on = models.DateField("开标日期")
    credit_check = models.OneToOneField("sanctions.CreditCheck", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField("文件摘要", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "开标前信用核查"
        verbose_name_plural = "开标前信用核查"

    def __str__(self) -> str:
        return f"{self.project_name} {self.credit_check.serial}"

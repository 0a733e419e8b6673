"""Local government debt (policy （十六）, WAVE2 §5): limits, bonds with repayment schedules,
snapshots reviewed by a second person, computed indicators against configurable risk bands,
warnings, emergency events for missed repayments, unlawful-borrowing cases and the published
disclosures (frozen tables, one version per publication, each in the disclosure ledger)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

MONEY = {"max_digits": 18, "decimal_places": 2}


class Category(models.TextChoices):
    GENERAL = "general", "一般债务"
    SPECIAL = "special", "专项债务"


class BondType(models.TextChoices):
    NEW = "new", "新增债券"
    REFINANCING = "refinancing", "再融资债券"
    REPLACEMENT = "replacement", "置换债券"


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法定"
    OFFICIAL = "official", "官方文件"
    UNOFFICIAL = "unofficial", "非官方"
    LOCAL_CHOICE = "local_choice", "本地选择"


class DebtLimit(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    amount = models.DecimalField("限额（元）", **MONEY)
    document = models.CharField("转贷/核定文件", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "category"]
        verbose_name = "债务限额"
        verbose_name_plural = "债务限额"
        constraints = [
            models.UniqueConstraint(fields=["year", "category"], name="debt_limit_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="debt_limit_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}"


class Bond(models.Model):
    """（十六）: 规模、种类、利率、期限、还本付息、用途 — amount, category/type, rate, term, schedule, use."""

    code = models.CharField("债券编码", max_length=40, unique=True)
    name = models.CharField("债券名称", max_length=200)
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    bond_type = models.CharField("发行类型", max_length=12, choices=BondType.choices)
    issue_date = models.DateField("发行日期")
    amount = models.DecimalField("分配额度（元）", **MONEY)
    rate = models.DecimalField("票面利率（%）", max_digits=6, decimal_places=3)
    term_years = models.PositiveSmallIntegerField("期限（年）")
    maturity = models.DateField("到期日")
    use = models.TextField("资金用途", max_length=1000)
    projects = models.TextField("使用项目", max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "code"]
        verbose_name = "政府债券"
        verbose_name_plural = "政府债券"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Repayment(models.Model):
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField("应付日期")
    principal = models.DecimalField("本金（元）", **MONEY)
    interest = models.DecimalField("利息（元）", **MONEY)
    paid_on = models.DateField("实付日期", null=True, blank=True)
    paid_amount = models.DecimalField("实付金额（元）", null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "还本付息计划"
        constraints = [models.UniqueConstraint(fields=["bond", "due_on"], name="debt_repayment_unique")]
        indexes = [models.Index(fields=["paid_on", "due_on"], name="debt_repayment_due_idx")]

    def __str__(self) -> str:
        return f"{self.bond.code} {self.due_on}"

    @property
    def total(self):
        return self.principal + self.interest


class ReminderSent(models.Model):
    """A T−30 / T−5 repayment reminder, sent once per (repayment, stage)."""

    repayment = models.ForeignKey(Repayment, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField("提醒", max_length=5)  # "T-30" | "T-5"
    sent_on = models.DateField("发送日期")
    recipients = models.PositiveIntegerField("接收人数", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repayment", "stage"], name="debt_reminder_once")]

    def __str__(self) -> str:
        return f"{self.repayment_id} {self.stage}"


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待复核"
    PUBLISHED = "published", "已公开"
    RETURNED = "returned", "已退回"
    SUPERSEDED = "superseded", "已被更正"


class DebtSnapshot(models.Model):
    """Balances, 综合财力 and its parts, debt service, overdue and the year's plan, as of a date."""

    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("截至日期")
    general_balance = models.DecimalField("一般债务余额（元）", **MONEY)
    special_balance = models.DecimalField("专项债务余额（元）", **MONEY)
    capacity_general = models.DecimalField("一般公共预算财力（元）", **MONEY)
    capacity_fund = models.DecimalField("政府性基金预算财力（元）", **MONEY)
    capacity_state_capital = models.DecimalField("国有资本经营预算财力（元）", **MONEY, default=0)
    debt_service = models.DecimalField("当年还本付息额（元）", **MONEY)
    overdue = models.DecimalField("逾期债务（元）", **MONEY, default=0)
    plan_borrowing = models.DecimalField("计划举借（元）", **MONEY, default=0)
    plan_principal = models.DecimalField("计划还本（元）", **MONEY, default=0)
    plan_interest = models.DecimalField("计划付息（元）", **MONEY, default=0)
    source_document = models.CharField("数据来源文件", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=SnapshotStatus.choices, default=SnapshotStatus.DRAFT
    )
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField("复核意见", max_length=300, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-as_of", "-pk"]
        verbose_name = "债务数据"
        verbose_name_plural = "债务数据"

    def __str__(self) -> str:
        return f"{self.year}年 截至{self.as_of}"

    @property
    def balance(self):
        return self.general_balance + self.special_balance

    @property
    def capacity(self):
        return self.capacity_general + self.capacity_fund + self.capacity_state_capital


class RiskBand(models.Model):
    """A warning band of one indicator: [lower, upper) in percent, with its legal standing."""

    indicator = models.CharField("指标", max_length=30)
    lower = models.DecimalField("下限（%，含）", max_digits=8, decimal_places=2)
    upper = models.DecimalField("上限（%，不含）", max_digits=8, decimal_places=2, null=True, blank=True)
    level = models.CharField("预警等级", max_length=10)  # green | yellow | orange | red | critical
    label = models.CharField("名称", max_length=30)
    colour = models.CharField("颜色", max_length=7)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    source = models.CharField("来源", max_length=300)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["indicator", "lower"]
        verbose_name = "风险预警区间"
        verbose_name_plural = "风险预警区间"

    def __str__(self) -> str:
        return f"{self.indicator} {self.label}"


class DebtWarning(models.Model):
    snapshot = models.ForeignKey(DebtSnapshot, on_delete=models.PROTECT, related_name="warnings")
    indicator = models.CharField("指标", max_length=30)
    level = models.CharField("预警等级", max_length=10)
    value = models.DecimalField("指标值（%）", max_digits=12, decimal_places=2)
    message = models.CharField("说明", max_length=300)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    source = models.CharField("来源", max_length=300)
    response_plan = models.TextField("应对方案", blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "债务风险预警"
        verbose_name_plural = "债务风险预警"
        constraints = [models.UniqueConstraint(fields=["snapshot", "indicator"], name="debt_warning_unique")]

    def __str__(self) -> str:
        return self.message


class EmergencyLevel(models.TextChoices):
    """⚠ 国办函〔2016〕88号 Ⅰ–Ⅳ levels: the triggers were not retrieved; the unit sets the level."""

    I = "I", "Ⅰ级（特大）"  # noqa: E741
    II = "II", "Ⅱ级（重大）"
    III = "III", "Ⅲ级（较大）"
    IV = "IV", "Ⅳ级（一般）"


class EmergencyEvent(models.Model):
    repayment = models.OneToOneField(Repayment, on_delete=models.PROTECT, related_name="emergency")
    level = models.CharField(
        "事件等级", max_length=3, choices=EmergencyLevel.choices, default=EmergencyLevel.IV
    )
    trigger = models.CharField("触发情形", max_length=300)
    opened_on = models.DateField("启动日期")
    actions = models.TextField("处置措施", blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    closure_note = models.TextField("结束说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = "债务应急处置事件"
        verbose_name_plural = "债务应急处置事件"

    def __str__(self) -> str:
        return self.trigger


class ViolationKind(models.TextChoices):
    BORROWING = "borrowing", "违法违规举债"
    GUARANTEE = "guarantee", "违法违规提供担保"


class BorrowingCase(models.Model):
    """Unlawful borrowing or guarantee by a unit (预算法第三十五条、第九十四条) → a finding proposing
    ``illegal_borrowing`` on the unit; the accountability referral follows its publication."""

    unit = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("情形", max_length=10, choices=ViolationKind.choices)
    amount = models.DecimalField("涉及金额（元）", **MONEY)
    facts = models.TextField("事实", max_length=2000)
    document_no = models.CharField("认定文书号", max_length=100)
    decided_on = models.DateField("认定日期")
    decided_by = models.CharField("认定机关", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "违法违规举债担保"
        verbose_name_plural = "违法违规举债担保"
        constraints = [models.UniqueConstraint(fields=["document_no"], name="debt_case_document_unique")]

    def __str__(self) -> str:
        return self.document_no


class DebtDisclosure(models.Model):
    """What the public sees for a year: the tables frozen at publication (one row per version)."""

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveIntegerField("版本")
    snapshot = models.ForeignKey(DebtSnapshot, on_delete=models.PROTECT, related_name="disclosures")
    payload = models.JSONField("公开内容")
    digest = models.CharField("摘要（SM3）", max_length=64)
    published_at = models.DateTimeField("公开时间")
    current = models.BooleanField("现行版本", default=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = "债务信息公开"
        verbose_name_plural = "债务信息公开"
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="debt_disclosure_version"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(current=True), name="debt_disclosure_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"

"""PPP projects (policy （十二）, WAVE2 §3): five stages, the government side's responsible persons with
tenure, disclosure items from a versioned regime template (财金〔2017〕1号), yearly fiscal commitments."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", "识别"
    PREPARATION = "preparation", "准备"
    PROCUREMENT = "procurement", "采购"
    EXECUTION = "execution", "执行"
    TRANSFER = "transfer", "移交"


STAGE_ORDER = [s.value for s in Stage]
EARLY_STAGES = (Stage.IDENTIFICATION, Stage.PREPARATION, Stage.PROCUREMENT)


class Role(models.TextChoices):
    IMPLEMENTING_HEAD = "implementing_head", "实施机构负责人"
    FINANCE_REVIEW = "finance_review", "财政审核"
    PROCUREMENT_LEAD = "procurement_lead", "采购负责人"
    PERFORMANCE_SUPERVISION = "performance_supervision", "履约监管"
    INVESTOR_REPRESENTATIVE = "investor_representative", "出资代表"


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法定"
    OFFICIAL = "official", "官方文件"
    UNOFFICIAL = "unofficial", "非官方来源"
    LOCAL_CHOICE = "local_choice", "本地选择"


class Regime(models.Model):
    """A PPP rule set (财金〔2017〕1号; the 2023 新机制 of 国办函〔2023〕115号) with its stage templates."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=200)
    effective_from = models.DateField("施行日期")
    source = models.CharField("依据", max_length=300)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    deferred_months = models.PositiveSmallIntegerField(
        "适时公开期限（进入执行阶段后月数）",
        default=6,
        help_text="财金〔2017〕1号：识别、准备、采购阶段信息在进入执行阶段后6个月内公开",
    )
    annual_month = models.PositiveSmallIntegerField("执行阶段信息公开月", default=4)
    annual_day = models.PositiveSmallIntegerField("执行阶段信息公开日", default=30)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "PPP制度版本"

    def __str__(self) -> str:
        return self.name


class Mode(models.TextChoices):
    INSTANT = "instant", "即时公开"
    DEFERRED = "deferred", "适时公开"


class TemplateItem(models.Model):
    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="items")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    code = models.CharField("代码", max_length=40)
    name = models.CharField("公开事项", max_length=200)
    mode = models.CharField("公开方式", max_length=20, choices=Mode.choices)
    required = models.BooleanField("必须", default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["regime_id", "order", "id"]
        verbose_name = "阶段公开事项模板"
        constraints = [models.UniqueConstraint(fields=["regime", "code"], name="ppp_template_code")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.name}"


class RoleRequirement(models.Model):
    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="roles")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    role = models.CharField("岗位", max_length=40, choices=Role.choices)

    class Meta:
        verbose_name = "阶段必备责任人"
        constraints = [
            models.UniqueConstraint(fields=["regime", "stage", "role"], name="ppp_role_requirement")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.get_role_display()}"


class PaymentMechanism(models.TextChoices):
    GOVERNMENT_PAY = "government_pay", "政府付费"
    VIABILITY_GAP = "viability_gap", "可行性缺口补助"
    USER_PAY = "user_pay", "使用者付费"


class Project(models.Model):
    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    sector = models.CharField("所属行业", max_length=60)
    investment = models.DecimalField("总投资（元）", max_digits=18, decimal_places=2)
    term_years = models.PositiveSmallIntegerField("合作期限（年）")
    operation_mode = models.CharField("运作方式", max_length=40, help_text="如 BOT、TOT、ROT")
    payment_mechanism = models.CharField("回报机制", max_length=20, choices=PaymentMechanism.choices)
    agency = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="ppp_projects", verbose_name="实施机构"
    )
    unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="ppp_projects",
        verbose_name="实施单位",
    )
    investor_representative = models.CharField("政府出资代表", max_length=200, blank=True)
    social_capital = models.ForeignKey(
        "subjects.Subject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ppp_as_social_capital",
        verbose_name="社会资本方",
    )
    project_company = models.CharField("项目公司", max_length=200, blank=True)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, verbose_name="适用制度")
    stage = models.CharField("当前阶段", max_length=20, choices=Stage.choices, default=Stage.IDENTIFICATION)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "PPP项目"
        verbose_name_plural = "PPP项目"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectStage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    entered_on = models.DateField("进入日期")
    exited_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        ordering = ["entered_on", "id"]
        verbose_name = "项目阶段"
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="ppp_stage_once")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_stage_display()}"


class Responsibility(models.Model):
    """Who held a role of a stage, and when: a responsibility follows the person, not the post."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="responsibilities")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    role = models.CharField("岗位", max_length=40, choices=Role.choices)
    person = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="ppp_responsibilities",
        verbose_name="责任人",
    )
    unit = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="ppp_unit_responsibilities",
        verbose_name="所在单位",
    )
    start = models.DateField("任职开始")
    end = models.DateField("任职结束", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "role", "start"]
        verbose_name = "阶段责任人"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="ppp_responsibility_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_role_display()} {self.person.display_name}"


class ItemState(models.TextChoices):
    PENDING = "pending", "待公开"
    PUBLISHED = "published", "已公开"
    WITHHELD = "withheld", "不予公开"


class DisclosureItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    template = models.ForeignKey(TemplateItem, on_delete=models.PROTECT)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    name = models.CharField("公开事项", max_length=200)
    required = models.BooleanField("必须", default=True)
    mode = models.CharField("公开方式", max_length=20, choices=Mode.choices)
    due_on = models.DateField("公开期限", null=True, blank=True)
    due_explain = models.TextField("期限说明", blank=True)
    document_title = models.CharField("文件名称", max_length=200, blank=True)
    document_url = models.URLField("文件链接", max_length=300, blank=True)
    content = models.TextField("公开内容", blank=True)
    provided_on = models.DateField("提供日期", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    state = models.CharField("状态", max_length=20, choices=ItemState.choices, default=ItemState.PENDING)
    withheld_reason = models.CharField("不予公开理由", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=0)

    class Meta:
        ordering = ["project_id", "template__order", "id"]
        verbose_name = "项目公开事项"
        constraints = [models.UniqueConstraint(fields=["project", "template"], name="ppp_item_once")]
        indexes = [models.Index(fields=["state", "due_on"], name="ppp_item_state_due")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.name}"

    @property
    def provided(self) -> bool:
        return bool(self.provided_on)


class FiscalCommitment(models.Model):
    """A year's 支出责任 against the budget and what was paid."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fiscal")
    year = models.PositiveIntegerField("年度")
    responsibility = models.DecimalField("支出责任（元）", max_digits=18, decimal_places=2)
    budgeted = models.DecimalField("预算安排（元）", max_digits=18, decimal_places=2, default=Decimal("0"))
    paid = models.DecimalField("实际支付（元）", max_digits=18, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["project_id", "year"]
        verbose_name = "财政支出责任"
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="ppp_fiscal_year")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}"

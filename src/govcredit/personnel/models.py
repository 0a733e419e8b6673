"""公务员信用档案 (policy （七）（九）; WAVE2 §13): one file per civil-servant subject.

The file holds what the organisation (区委组织部) and HR (区人社局) departments report: training,
annual reviews and personal-matters compliance. Disciplinary, accountability and commendation records
stay in ``govcredit.records`` and are read from there. The personal-matters report's content is never
stored: only whether it was on time, sampled, and the verification result and handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govcredit.subjects.models import Subject


class RankLevel(models.TextChoices):
    TOWNSHIP = "township", "乡科级及以下"
    COUNTY = "county", "县处级及以上"


class PersonnelFile(models.Model):
    subject = models.OneToOneField(
        Subject, on_delete=models.PROTECT, related_name="personnel_file", verbose_name="公务员"
    )
    rank_level = models.CharField(
        "职级层次", max_length=10, choices=RankLevel.choices, default=RankLevel.TOWNSHIP
    )
    rank = models.CharField("职务职级", max_length=100, blank=True)
    source = models.CharField("来源单位", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "公务员信用档案"
        ordering = ["subject__name"]

    def __str__(self) -> str:
        return f"{self.subject.display_name}的信用档案"


class TrainingKind(models.TextChoices):
    INITIAL = "initial", "初任培训"
    APPOINTMENT = "appointment", "任职培训"
    SPECIAL = "special", "专门业务培训"
    IN_SERVICE = "in_service", "在职培训"
    INTEGRITY = "integrity", "诚信教育"


class IntegrityCourse(models.Model):
    """An integrity-education course of （七）, with the attendance of each civil servant invited."""

    title = models.CharField("课程名称", max_length=200)
    held_on = models.DateField("举办日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    organiser = models.CharField("主办单位", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "诚信教育课程"
        ordering = ["-held_on", "title"]
        constraints = [models.UniqueConstraint(fields=["title", "held_on"], name="personnel_course_unique")]

    def __str__(self) -> str:
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"


class TrainingRecord(models.Model):
    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField("培训类型", max_length=20, choices=TrainingKind.choices)
    title = models.CharField("培训名称", max_length=200)
    start = models.DateField("开始日期")
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=0)
    days = models.DecimalField("天数", max_digits=5, decimal_places=1, default=0)
    certificate_no = models.CharField("证书编号", max_length=100, blank=True)
    course = models.ForeignKey(
        IntegrityCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    attended = models.BooleanField("出勤", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "培训记录"
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "kind", "title", "start"], name="personnel_training_unique"
            )
        ]
        indexes = [models.Index(fields=["start", "file"], name="personnel_training_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AnnualReview(models.Model):
    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField("考核年度")
    grade = models.CharField("考核等次", max_length=12, choices=ReviewGrade.choices)
    approved_on = models.DateField("确定日期", null=True, blank=True)
    source = models.CharField("来源单位", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "年度考核"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["file", "year"], name="personnel_review_unique")]
        indexes = [models.Index(fields=["year", "grade"], name="personnel_review_year")]

    def __str__(self) -> str:
        return f"{self.year}年度：{self.get_grade_display()}"


class MattersResult(models.TextChoices):
    CONSISTENT = "consistent", "一致"
    OMITTED = "omitted", "漏报"
    CONCEALED = "concealed", "瞒报"


class MattersCompliance(models.Model):
    """领导干部报告个人有关事项: compliance only, never the report's content."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="matters")
    year = models.PositiveSmallIntegerField("报告年度")
    on_time = models.BooleanField("按时报告")
    sampled = models.BooleanField("被抽查核实", default=False)
    result = models.CharField("核实结果", max_length=12, choices=MattersResult.choices, blank=True)
    handling = models.CharField("处理情况", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "个人有关事项报告情况"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["file", "year"], name="personnel_matters_unique")]

    def __str__(self) -> str:
        return f"{self.year}年度个人有关事项报告"


class RuleKind(models.TextChoices):
    DISCIPLINE = "discipline", "处分期内"
    REVIEW = "review", "年度考核等次"
    MATTERS = "matters", "个人有关事项核实结果"
    TRAINING = "training", "年度培训学时"


class PersonnelRule(models.Model):
    """A configurable rule with its legal status and source (WAVE2 ⚠ numbers are never constants)."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    kind = models.CharField("规则类型", max_length=12, choices=RuleKind.choices)
    name = models.CharField("规则名称", max_length=100)
    match = models.CharField("适用情形", max_length=40, blank=True, help_text="处分种类、考核等次或核实结果")
    months = models.PositiveSmallIntegerField("期间（月）", null=True, blank=True)
    hours = models.DecimalField("学时下限", max_digits=6, decimal_places=1, null=True, blank=True)
    days = models.DecimalField("天数下限", max_digits=5, decimal_places=1, null=True, blank=True)
    rank_level = models.CharField("适用职级", max_length=10, choices=RankLevel.choices, blank=True)
    effect = models.CharField(
        "核查结论", max_length=10, choices=[("blocked", "限制"), ("attention", "关注")], blank=True
    )
    purposes = models.JSONField("适用核查用途", default=list, blank=True)
    legal_basis = models.CharField("依据条款", max_length=300)
    legal_status = models.CharField("法律状态", max_length=60, default="现行有效")
    source = models.CharField("来源", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人事信用规则"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class TrainingReminder(models.Model):
    """A training-deficit reminder sent for a person and a year (once)."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="reminders")
    year = models.PositiveSmallIntegerField("年度")
    hours = models.DecimalField("已完成学时", max_digits=6, decimal_places=1)
    days = models.DecimalField("已完成天数", max_digits=5, decimal_places=1)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "培训学时提醒"
        constraints = [models.UniqueConstraint(fields=["file", "year"], name="personnel_reminder_unique")]

    def __str__(self) -> str:
        return f"{self.year}年度培训学时提醒"

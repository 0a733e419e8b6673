"""Major administrative decisions (policy （四）, 《重大行政决策程序暂行条例》 国务院令第713号, WAVE2 §10):
the yearly catalog, each decision's five mandatory steps (public participation, expert argumentation,
risk assessment, legality review, collective decision), waivers of a step that does not apply, public
comments, publication, execution reports and post-decision evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    """条例第三条 (一)–(五)."""

    POLICY = "policy", "重大公共政策和措施（公共服务、市场监管、社会管理、环境保护等）"
    PLANNING = "planning", "经济和社会发展等方面的重要规划"
    RESOURCES = "resources", "开发利用、保护重要自然资源和文化资源的重大公共政策和措施"
    PROJECT = "project", "在本行政区域实施的重大公共建设项目"
    OTHER = "other", "对经济社会发展有重大影响、涉及重大公共利益或者社会公众切身利益的其他重大事项"


class CatalogEntry(models.Model):
    """One line of the yearly 重大行政决策事项目录 (条例第三条第三款: published after the 党委 agrees)."""

    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("决策事项", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    decision_body = models.ForeignKey(
        "subjects.Subject", verbose_name="决策机关", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    planned = models.CharField("计划完成时间", max_length=40, blank=True)
    basis = models.CharField("决策依据", max_length=300, blank=True)
    party_agreed_on = models.DateField("党委同意日期", null=True, blank=True)
    published_on = models.DateField("目录公布日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "seq"]
        verbose_name = "重大行政决策事项目录"
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="decision_catalog_seq"),
            models.UniqueConstraint(fields=["year", "title"], name="decision_catalog_title"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.seq}项 {self.title}"


class Status(models.TextChoices):
    LAUNCHED = "launched", "已启动"
    DRAFTING = "drafting", "起草中"
    PARTICIPATION = "participation", "公众参与"
    EXPERT = "expert", "专家论证"
    RISK = "risk", "风险评估"
    LEGALITY = "legality", "合法性审查"
    COLLECTIVE = "collective", "集体讨论决定"
    REPORTED = "reported", "已报告党委"
    PUBLISHED = "published", "已公布"
    EXECUTING = "executing", "执行中"
    POST_EVALUATED = "post_evaluated", "已决策后评估"
    ADJUSTED = "adjusted", "已调整"
    SUSPENDED = "suspended", "已停止执行"


STATUS_ORDER = [s.value for s in Status]


class Step(models.TextChoices):
    PARTICIPATION = "participation", "公众参与"
    EXPERT = "expert", "专家论证"
    RISK = "risk", "风险评估"
    LEGALITY = "legality", "合法性审查"
    COLLECTIVE = "collective", "集体讨论决定"


#: steps that may be skipped with a reason (条例第十三条、第十九条、第二十二条: "需要"/"专业性、技术性较强"/
#: "可能对社会稳定、公共安全等方面造成不利影响"); legality review and collective decision never
#: (第二十五条: 不得以征求意见等方式代替合法性审查; 第三十条: 应当经集体讨论决定)
WAIVABLE_STEPS = (Step.PARTICIPATION, Step.EXPERT, Step.RISK)


class Decision(models.Model):
    code = models.CharField("决策编号", max_length=30, unique=True)
    catalog_entry = models.OneToOneField(
        CatalogEntry, verbose_name="目录事项", on_delete=models.PROTECT, related_name="decision"
    )
    title = models.CharField("决策名称", max_length=200)
    summary = models.TextField("决策草案说明", blank=True)
    decision_body = models.ForeignKey(
        "subjects.Subject", verbose_name="决策机关", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.LAUNCHED)
    launched_on = models.DateField("启动日期")
    reported_on = models.DateField("报告党委日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    document_no = models.CharField("决策文件文号", max_length=100, blank=True)
    publication_text = models.TextField("公布内容", blank=True)
    status_reason = models.CharField("调整或停止执行的理由", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-launched_on", "-pk"]
        verbose_name = "重大行政决策"
        indexes = [models.Index(fields=["status", "launched_on"], name="decision_status_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Participation(models.Model):
    """公众参与: the public consultation (条例第十四条至第十八条); comments close at ``end_on``."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="participation")
    channels = models.CharField("参与方式", max_length=200)
    draft_text = models.TextField("征求意见稿")
    start_on = models.DateField("征求意见开始日期")
    end_on = models.DateField("征求意见截止日期")
    days = models.PositiveSmallIntegerField("征求意见期限（日）")
    shortened_reason = models.CharField("期限少于30日的理由", max_length=500, blank=True)
    adoption_report = models.TextField("意见采纳情况", blank=True)
    adopted_count = models.PositiveIntegerField("采纳意见数", default=0)
    rejection_reasons = models.TextField("未采纳意见及理由", blank=True)
    report_on = models.DateField("采纳情况公布日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公众参与"

    def __str__(self) -> str:
        return f"{self.decision.title}（征求意见）"


class Comment(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, related_name="comments")
    name = models.CharField("姓名或单位", max_length=100)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("意见内容")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "公众意见"

    def __str__(self) -> str:
        return f"公众意见 #{self.pk}"


class Hearing(models.Model):
    """听证会 (条例第十八条): the participant list published in advance, materials sent 7 days before."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField("听证日期")
    participants = models.TextField("听证参加人")
    participants_published_on = models.DateField("参加人名单公布日期")
    materials_sent_on = models.DateField("材料送达日期")
    summary = models.TextField("听证情况", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = "听证会"

    def __str__(self) -> str:
        return f"听证会 #{self.pk}"


class ExpertReview(models.Model):
    """专家论证 (条例第十九条至第二十一条): independent experts, signed written opinions."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="expert_review")
    reviewed_on = models.DateField("论证日期")
    experts = models.JSONField("专家", default=list)
    opinion = models.TextField("论证意见")
    opinion_sha256 = models.CharField("署名意见书 SHA-256", max_length=64, blank=True)
    adoption = models.TextField("意见采纳情况", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "专家论证"

    def __str__(self) -> str:
        return f"专家论证 #{self.pk}"


class RiskConclusion(models.TextChoices):
    LOW = "low", "低风险，可以决策"
    MEDIUM = "medium", "中风险，采取措施后可控"
    HIGH = "high", "高风险，风险不可控"


class RiskAssessment(models.Model):
    """风险评估 (条例第二十二条至第二十四条)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="risk_assessment")
    assessed_on = models.DateField("评估日期")
    kind = models.CharField("评估类型", max_length=100)
    assessor = models.CharField("评估机构", max_length=200)
    third_party = models.BooleanField("委托第三方", default=False)
    risk_points = models.TextField("风险点")
    measures = models.TextField("防范化解措施和处置预案")
    conclusion = models.CharField("评估结论", max_length=10, choices=RiskConclusion.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "风险评估"

    def __str__(self) -> str:
        return f"风险评估 #{self.pk}"


class LegalityResult(models.TextChoices):
    LAWFUL = "lawful", "合法"
    AMEND = "amend", "修改后合法"
    UNLAWFUL = "unlawful", "不合法"


class LegalityReview(models.Model):
    """合法性审查 (条例第二十五条至第二十八条): no substitute; at least 7 working days of review."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="legality_review")
    submitted_on = models.DateField("送审日期")
    opinion_on = models.DateField("审查意见日期")
    reviewer = models.ForeignKey(
        "accounts.Organisation", verbose_name="审查机构", on_delete=models.PROTECT, related_name="+"
    )
    adviser_opinions = models.TextField("法律顾问、公职律师意见", blank=True)
    opinion = models.TextField("审查意见")
    result = models.CharField("审查结论", max_length=10, choices=LegalityResult.choices)
    working_days = models.PositiveSmallIntegerField("审查工作日数")
    working_days_explain = models.TextField("工作日计算说明", blank=True)
    insufficient_review_time = models.BooleanField("审查时间不足", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "合法性审查"

    def __str__(self) -> str:
        return f"合法性审查 #{self.pk}"


class MeetingType(models.TextChoices):
    EXECUTIVE = "executive", "政府常务会议"
    PLENARY = "plenary", "政府全体会议"
    OFFICE = "office", "部门领导班子会议"


class Outcome(models.TextChoices):
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "不予通过"
    DEFERRED = "deferred", "暂缓决策"


class CollectiveDecision(models.Model):
    """集体讨论决定 (条例第三十条至第三十三条): dissent recorded, the head speaks last and explains a
    departure from the majority."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="collective")
    meeting_type = models.CharField("会议类型", max_length=12, choices=MeetingType.choices)
    meeting_on = models.DateField("会议日期")
    attendees = models.TextField("出席人员")
    minutes = models.TextField("会议记录")
    dissent = models.TextField("不同意见", blank=True)
    head_departs = models.BooleanField("行政首长的决定与多数意见不一致", default=False)
    head_reasons = models.TextField("行政首长说明的理由", blank=True)
    fair_competition_review = models.TextField("公平竞争审查情况", blank=True)
    outcome = models.CharField("决定结果", max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "集体讨论决定"

    def __str__(self) -> str:
        return f"集体讨论决定 #{self.pk}"


class StepWaiver(models.Model):
    """A step that does not apply: the reason and who approved skipping it."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="waivers")
    step = models.CharField("环节", max_length=20, choices=Step.choices)
    reason = models.CharField("不适用理由", max_length=500)
    approved_by = models.CharField("批准人", max_length=100)
    approved_on = models.DateField("批准日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "环节不适用"
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="decision_waiver_step")]

    def __str__(self) -> str:
        return f"环节不适用 #{self.pk}"


class ExecutionReport(models.Model):
    """决策执行情况 (条例第三十四条、第三十五条)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="execution_reports")
    reported_on = models.DateField("报告日期")
    content = models.TextField("执行情况")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = "决策执行情况"

    def __str__(self) -> str:
        return f"决策执行情况 #{self.pk}"


class PostEvaluation(models.Model):
    """决策后评估 (条例第三十六条)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="post_evaluations")
    evaluated_on = models.DateField("评估日期")
    evaluator = models.CharField("评估机构", max_length=200)
    conclusion = models.TextField("评估结论")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluated_on", "pk"]
        verbose_name = "决策后评估"

    def __str__(self) -> str:
        return f"公众意见 #{self.pk}"

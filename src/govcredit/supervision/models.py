"""Multi-party supervision (policy （二十）（二十一）, WAVE2 §7–§8): complaints and reports about 政务失信,
NPC deputies' suggestions and CPPCC proposals, and typical cases. Every time limit is a kernel duty
(``duties.Duty``) computed by the duty clock from a configurable rule row with its legal status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govcredit.duties.models import LegalStatus

MODES = [("working", "工作日"), ("calendar", "日（自然日）"), ("months", "个月")]


class SupervisionRule(models.Model):
    """A number the law or the district fixes (motion deadlines, rework time …): an editable row."""

    key = models.CharField("规则代码", max_length=60, unique=True)
    name = models.CharField("规则名称", max_length=100)
    value = models.PositiveIntegerField("取值")
    unit = models.CharField("单位", max_length=20, blank=True)
    legal_status = models.CharField("依据性质", max_length=16, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "多方监督规则"

    def __str__(self) -> str:
        return f"{self.name}：{self.value}{self.unit}"


class ComplaintCategory(models.Model):
    """A category decides the legal clock of a complaint (12345, 信访, 政府采购, 招投标 …)."""

    code = models.CharField("类别代码", max_length=40, unique=True)
    name = models.CharField("类别名称", max_length=60)
    mode = models.CharField("计算方式", max_length=10, choices=MODES)
    days = models.PositiveSmallIntegerField("办理期限")
    extension_days = models.PositiveSmallIntegerField("可延长", default=0)
    legal_status = models.CharField("依据性质", max_length=16, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "投诉举报类别"

    def __str__(self) -> str:
        return self.name

    @property
    def clock_label(self) -> str:
        unit = dict(MODES)[self.mode]
        ext = f"，可延长{self.extension_days}{unit}" if self.extension_days else ""
        return f"{self.days}{unit}{ext}"


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"


class Channel(models.TextChoices):
    PORTAL = "portal", "信用周村网站"
    HOTLINE = "hotline", "12345热线"
    LETTER = "letter", "来信来访"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ASSIGNED = "assigned", "已交办"
    REPLIED = "replied", "已答复"
    VISITED = "visited", "已回访"
    CLOSED = "closed", "已办结"


OPEN_COMPLAINT_STATES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.ASSIGNED,
)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


SATISFACTION_SCORE = {"satisfied": 1, "basic": "0.5", "unsatisfied": 0}


class Complaint(models.Model):
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    kind = models.CharField("类型", max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    external_no = models.CharField("12345工单号", max_length=40, blank=True)
    category = models.ForeignKey(ComplaintCategory, verbose_name="类别", on_delete=models.PROTECT)
    respondent = models.ForeignKey(
        "accounts.Organisation", verbose_name="被投诉单位", on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("反映内容")
    anonymous = models.BooleanField("匿名", default=False)
    name_cipher = models.TextField("姓名（密文）", blank=True)
    name_masked = models.CharField("姓名（脱敏）", max_length=40, blank=True)
    contact_cipher = models.TextField("联系方式（密文）", blank=True)
    contact_masked = models.CharField("联系方式（脱敏）", max_length=60, blank=True)
    status = models.CharField(
        "状态", max_length=14, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_on = models.DateField("收到日期")
    deadline = models.DateField("办理期限")
    deadline_explain = models.TextField("期限说明", blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    not_accepted_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    assigned_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_late = models.BooleanField("逾期答复", default=False)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    visited_on = models.DateField("回访日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField("重办次数", default=0)
    substantiated = models.BooleanField("查实", default=False)
    finding = models.ForeignKey(
        "duties.Finding", verbose_name="失信线索", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "投诉举报"
        constraints = [
            models.UniqueConstraint(
                fields=["external_no"], condition=~Q(external_no=""), name="complaint_external_no_unique"
            )
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="complaint_status_deadline"),
            models.Index(fields=["assigned_unit", "received_on"], name="complaint_unit_received"),
            models.Index(fields=["received_on"], name="complaint_received"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class ComplaintStep(models.Model):
    """One step of the handling history (the public sees the step and the date, never the actor)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=30)
    status = models.CharField("状态", max_length=14, choices=ComplaintStatus.choices)
    note = models.TextField("说明", blank=True)
    public_note = models.BooleanField("说明对群众公开", default=False)
    unit = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "投诉举报办理环节"

    def __str__(self) -> str:
        return f"{self.action} {self.status}"


# -- NPC suggestions and CPPCC proposals ---------------------------------------------------------
class MotionKind(models.TextChoices):
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协提案"


class MotionStatus(models.TextChoices):
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复"
    REOPENED = "reopened", "重新办理"
    CLOSED = "closed", "已办结"


OPEN_MOTION_STATES = (MotionStatus.ASSIGNED, MotionStatus.REOPENED)


class AnswerType(models.TextChoices):
    SOLVED = "solved", "已经解决或者采纳"
    PLANNED = "planned", "列入计划解决"
    UNABLE = "unable", "因条件限制暂时无法解决"
    INVALID = "invalid", "不符合法律法规规定"


class Motion(models.Model):
    kind = models.CharField("类型", max_length=8, choices=MotionKind.choices)
    number = models.CharField("编号", max_length=40)
    session = models.CharField("届次会议", max_length=80)
    title = models.CharField("案由", max_length=300)
    content = models.TextField("内容", blank=True)
    proposers = models.CharField("领衔人及附议人", max_length=300)
    lead_unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="主办单位", on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        "accounts.Organisation", verbose_name="协办单位", blank=True, related_name="+"
    )
    assigned_on = models.DateField("交办日期")
    complex = models.BooleanField("情况复杂", default=False)
    key_supervised = models.BooleanField("重点督办", default=False)
    deadline = models.DateField("答复期限")
    deadline_explain = models.TextField("期限说明", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=MotionStatus.choices, default=MotionStatus.ASSIGNED
    )
    cycle = models.PositiveSmallIntegerField("办理轮次", default=1)
    answer_type = models.CharField("答复类型", max_length=10, choices=AnswerType.choices, blank=True)
    answer = models.TextField("答复内容", blank=True)
    signer = models.CharField("签发人", max_length=40, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    promise_due_on = models.DateField("承诺解决日期", null=True, blank=True)
    feedback = models.CharField("代表委员意见", max_length=12, choices=Satisfaction.choices, blank=True)
    feedback_note = models.TextField("意见说明", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assigned_on", "-pk"]
        verbose_name = "建议提案"
        constraints = [
            models.UniqueConstraint(fields=["kind", "session", "number"], name="motion_natural_key")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="motion_status_deadline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}号"


class MotionOpinion(models.Model):
    """A co-unit's opinion to the lead unit (协办意见, due within one month)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("协办意见")
    submitted_on = models.DateField("提交日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["submitted_on", "pk"]
        verbose_name = "协办意见"
        constraints = [models.UniqueConstraint(fields=["motion", "unit"], name="motion_opinion_once")]

    def __str__(self) -> str:
        return f"协办意见 {self.unit_id}"


class MotionAnswer(models.Model):
    """Every answer of every cycle stays readable (a reopened motion keeps its first answer)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="answers")
    cycle = models.PositiveSmallIntegerField("办理轮次")
    answer_type = models.CharField("答复类型", max_length=10, choices=AnswerType.choices)
    text = models.TextField("答复内容")
    signer = models.CharField("签发人", max_length=40)
    answered_on = models.DateField("答复日期")
    late = models.BooleanField("逾期", default=False)
    feedback = models.CharField("代表委员意见", max_length=12, choices=Satisfaction.choices, blank=True)

    class Meta:
        ordering = ["cycle", "pk"]
        verbose_name = "建议提案答复"

    def __str__(self) -> str:
        return f"第{self.cycle}轮答复"


# -- typical cases --------------------------------------------------------------------------------
class CaseKind(models.TextChoices):
    TRUST = "trust", "守信典型"
    DISHONEST = "dishonest", "失信典型"


class CaseDomain(models.TextChoices):
    PROCUREMENT = "procurement", "政府采购（十一）"
    PPP = "ppp", "政府和社会资本合作（十二）"
    BIDDING = "bidding", "招标投标（十三）"
    INVESTMENT = "investment", "招商引资（十四）"
    ENVIRONMENT = "environment", "生态环境（十五）"
    DEBT = "debt", "地方政府债务（十六）"
    TOWNS = "towns", "街道和镇（十七）"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OFFICE_REVIEW = "office_review", "待信用办审核"
    PUBLICITY_REVIEW = "publicity_review", "待宣传部审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤下"


class TypicalCase(models.Model):
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    domain = models.CharField("领域", max_length=14, choices=CaseDomain.choices, default=CaseDomain.OTHER)
    facts = models.TextField("基本案情")
    handling = models.TextField("处理情况")
    lessons = models.TextField("警示启示", blank=True)
    records = models.ManyToManyField("records.CreditRecord", verbose_name="关联信用记录", related_name="+")
    status = models.CharField("状态", max_length=18, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    drafting_unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publicity_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    unpublish_on = models.DateField("最迟撤下日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤下原因", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "典型案例"
        indexes = [models.Index(fields=["status", "published_at"], name="typical_case_status")]

    def __str__(self) -> str:
        return self.title


# -- third-party ratings (§7.5) -------------------------------------------------------------------
class ThirdPartyRating(models.Model):
    """A registered agency's (role 第三方机构) published rating of a unit: shown beside the official
    evaluation, never mixed into it (山东社会信用条例 Art 57: agencies are accountable)."""

    agency = models.ForeignKey(
        "accounts.Organisation", verbose_name="评价机构", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="被评价单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("评价年度")
    grade = models.CharField("等级", max_length=20)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    method_url = models.CharField("评价方法文件地址", max_length=300, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit_id", "pk"]
        verbose_name = "第三方评价"
        constraints = [
            models.UniqueConstraint(fields=["agency", "unit", "year"], name="third_party_rating_once")
        ]
        indexes = [models.Index(fields=["year", "unit"], name="third_party_year_unit")]

    def __str__(self) -> str:
        return f"{self.year} {self.grade}"

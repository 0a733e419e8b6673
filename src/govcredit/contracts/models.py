"""Government contracts, their obligations and payments, changes, arrears cases (清欠台账), the
Art 18 yearly disclosure and enterprises' non-payment complaints (WAVE2 §2, policy （十一）（十四）)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


class LegalStatus(models.TextChoices):
    STATUTORY = "statutory", "法定"
    OFFICIAL = "official", "官方文件"
    UNOFFICIAL = "unofficial", "非官方来源"
    LOCAL_CHOICE = "local_choice", "本地选择"


class ContractRule(models.Model):
    """A number the law or the district fixes (grace period, default interest, Art 9 limit …):
    a row the credit office may edit, with its legal status and source, never a constant."""

    key = models.CharField("规则代码", max_length=60, unique=True)
    name = models.CharField("规则名称", max_length=100)
    value = models.DecimalField("取值", max_digits=18, decimal_places=6)
    unit = models.CharField("单位", max_length=20, blank=True)
    legal_status = models.CharField("法律地位", max_length=20, choices=LegalStatus.choices)
    source = models.CharField("依据", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "合同与清欠规则"

    def __str__(self) -> str:
        return f"{self.name}：{self.value}{self.unit}"


class ContractKind(models.TextChoices):
    PROCUREMENT = "procurement", "政府采购合同"
    INVESTMENT = "investment_agreement", "招商引资协议"
    POLICY_PROMISE = "policy_promise", "政策承诺"
    ENGINEERING = "engineering", "工程建设合同"


class PurchaserType(models.TextChoices):
    """《保障中小企业款项支付条例》Art 9 binds 机关 and 事业单位; 国有大型企业 have their own rule (Art 11)."""

    ORGAN = "organ", "机关"
    INSTITUTION = "institution", "事业单位"
    SOE = "soe", "国有企业"
    OTHER = "other", "其他"


SME_PURCHASERS = (PurchaserType.ORGAN, PurchaserType.INSTITUTION)


class Scale(models.TextChoices):
    """OCDS ``partyScale``; fixed at signing (条例 Art 3)."""

    MICRO = "micro", "微型企业"
    SMALL = "small", "小型企业"
    MEDIUM = "medium", "中型企业"
    LARGE = "large", "大型企业"


SME_SCALES = (Scale.MICRO, Scale.SMALL, Scale.MEDIUM)


class ContractState(models.TextChoices):
    ACTIVE = "active", "履行中"
    COMPLETED = "completed", "已履行完毕"
    TERMINATED = "terminated", "已解除"
    BREACHED = "breached", "违约"


CLOSED_CONTRACT_STATES = (ContractState.TERMINATED, ContractState.COMPLETED)


class GovContract(models.Model):
    number = models.CharField("合同编号", max_length=80, unique=True)
    title = models.CharField("合同名称", max_length=200)
    kind = models.CharField("合同类型", max_length=30, choices=ContractKind.choices)
    government = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="gov_contracts", verbose_name="政府方"
    )
    unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="gov_contracts",
        verbose_name="付款（履约）单位",
    )
    purchaser_type = models.CharField("采购人性质", max_length=20, choices=PurchaserType.choices)
    counterparty = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="counterparty_contracts",
        verbose_name="相对方",
    )
    counterparty_scale = models.CharField("签约时企业规模", max_length=10, choices=Scale.choices)
    signed_on = models.DateField("签订日期")
    amount = models.DecimalField("合同金额（元）", max_digits=16, decimal_places=2)
    amount_withheld = models.BooleanField(
        "金额不公开", default=False, help_text="涉及商业秘密的金额在信用周村不予公开"
    )
    interest_rate_daily = models.DecimalField(
        "约定逾期利率（日）",
        max_digits=9,
        decimal_places=7,
        null=True,
        blank=True,
        help_text="合同约定的逾期利息日利率，如 0.0004；未约定时按规则（每日万分之五）计算",
    )
    procurement_ref = models.CharField("采购项目编号", max_length=100, blank=True)
    announcement_url = models.URLField("采购公告链接", max_length=300, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ContractState.choices, default=ContractState.ACTIVE, db_index=True
    )
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = "政府合同"
        verbose_name_plural = "政府合同"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def sme_protected(self) -> bool:
        """Both sides inside 《保障中小企业款项支付条例》: a 机关/事业单位 paying an SME."""
        return self.purchaser_type in SME_PURCHASERS and self.counterparty_scale in SME_SCALES


class ObligationKind(models.TextChoices):
    PAYMENT = "payment", "付款"
    ACCEPTANCE = "acceptance", "验收"
    POLICY_BENEFIT = "policy_benefit", "奖补兑现"
    LAND_DELIVERY = "land_delivery", "土地交付"
    OTHER = "other", "其他义务"


class DueRule(models.TextChoices):
    FIXED = "fixed", "固定日期"
    AFTER_EVENT = "after_event", "事件后N日"
    AGREED = "agreed", "约定期限（月）"


class Trigger(models.TextChoices):
    DELIVERY = "delivery", "交付（提供货物、工程、服务）"
    ACCEPTANCE = "acceptance", "验收"
    EVENT = "event", "其他约定事件"


class ObligationState(models.TextChoices):
    """OCDS milestoneStatus plus ``disputed``."""

    SCHEDULED = "scheduled", "待履行"
    MET = "met", "已履行"
    NOT_MET = "notMet", "未履行"
    PARTIALLY_MET = "partiallyMet", "部分履行"
    DISPUTED = "disputed", "有争议"
    CANCELLED = "cancelled", "已取消"


OPEN_OBLIGATION_STATES = (ObligationState.SCHEDULED, ObligationState.PARTIALLY_MET, ObligationState.NOT_MET)


class Obligation(models.Model):
    contract = models.ForeignKey(
        GovContract, on_delete=models.PROTECT, related_name="obligations", verbose_name="合同"
    )
    seq = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("义务类型", max_length=20, choices=ObligationKind.choices)
    title = models.CharField("义务内容", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, default=ZERO)
    due_rule = models.CharField("期限规则", max_length=20, choices=DueRule.choices)
    fixed_due_on = models.DateField("约定日期", null=True, blank=True)
    trigger = models.CharField("起算事件", max_length=20, choices=Trigger.choices, blank=True)
    days = models.PositiveIntegerField("期限（日）", null=True, blank=True)
    months = models.PositiveIntegerField("期限（月）", null=True, blank=True)
    delivered_on = models.DateField("交付日期", null=True, blank=True)
    acceptance_days = models.PositiveIntegerField(
        "约定验收期（日）",
        null=True,
        blank=True,
        help_text="交付后约定的验收期限；验收拖延时自期满之日起算付款期限（条例第十条）",
    )
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    event_on = models.DateField("事件日期", null=True, blank=True)
    clause = models.CharField("合同条款", max_length=200, blank=True)
    due_on = models.DateField("履行期限", null=True, blank=True)
    due_explain = models.TextField("期限说明", blank=True)
    due_estimated = models.BooleanField("期限为预估", default=False)
    paid_amount = models.DecimalField("已付金额（元）", max_digits=16, decimal_places=2, default=ZERO)
    outstanding = models.DecimalField("未付金额（元）", max_digits=16, decimal_places=2, default=ZERO)
    state = models.CharField(
        "状态", max_length=20, choices=ObligationState.choices, default=ObligationState.SCHEDULED
    )
    met_on = models.DateField("履行日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract_id", "seq"]
        verbose_name = "合同义务"
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="obligation_unique_seq"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="obligation_paid_nonneg"),
            models.CheckConstraint(condition=Q(outstanding__gte=0), name="obligation_outstanding_nonneg"),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="obligation_state_due")]

    def __str__(self) -> str:
        return f"{self.contract.number} 第{self.seq}项 {self.title}"


class Payment(models.Model):
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="payments", verbose_name="付款义务"
    )
    paid_on = models.DateField("付款日期")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    voucher_no = models.CharField("付款凭证号", max_length=100)
    voucher_name = models.CharField("凭证文件名", max_length=200, blank=True)
    voucher_sha256 = models.CharField("凭证摘要", max_length=64, blank=True)
    voucher_file = models.FileField(upload_to="contracts/vouchers/", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = "付款记录"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.amount}"


class ChangeKind(models.TextChoices):
    AMOUNT = "amount", "金额变更"
    TERM = "term", "期限变更"
    POLICY = "policy", "政策承诺变更"
    TERMINATION = "termination", "解除合同"
    OTHER = "other", "其他变更"


class ChangeReason(models.TextChoices):
    LAW_CHANGE = "law_change", "法律法规或国家政策调整"
    PUBLIC_INTEREST = "public_interest", "公共利益需要"
    AGREEMENT = "agreement", "双方协商一致"
    COUNTERPARTY_BREACH = "counterparty_breach", "相对方违约"
    LEADERSHIP_CHANGE = "leadership_change", "政府换届或领导人员更替"
    OTHER = "other", "其他"


class ContractChange(models.Model):
    """A change of a contract or promise: （十四） requires legal basis, procedure and compensation."""

    contract = models.ForeignKey(GovContract, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField("变更类型", max_length=20, choices=ChangeKind.choices)
    reason = models.CharField("变更原因", max_length=30, choices=ChangeReason.choices)
    changed_on = models.DateField("变更日期")
    description = models.TextField("变更内容")
    legal_basis = models.CharField("法定依据", max_length=300, blank=True)
    procedure = models.CharField("履行程序", max_length=300, blank=True)
    compensation = models.DecimalField(
        "补偿金额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    lawful = models.BooleanField("依法变更", default=True)
    problems = models.JSONField("违法情形", default=list, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = "合同变更"

    def __str__(self) -> str:
        return f"{self.contract_id} {self.get_kind_display()} {self.changed_on}"


class ArrearsSource(models.TextChoices):
    OBLIGATION = "obligation", "合同付款义务逾期"
    COMPLAINT = "complaint", "企业投诉"
    INVENTORY = "inventory", "清欠台账导入"


class ArrearsState(models.TextChoices):
    IDENTIFIED = "identified", "已认定"
    PLAN_AGREED = "plan_agreed", "已制定还款计划"
    PARTIALLY_REPAID = "partially_repaid", "部分清偿"
    CLEARED = "cleared", "已清偿"
    DISPUTED = "disputed", "有争议"
    RESOLVED = "resolved", "争议已解决"


OPEN_ARREARS_STATES = (
    ArrearsState.IDENTIFIED,
    ArrearsState.PLAN_AGREED,
    ArrearsState.PARTIALLY_REPAID,
    ArrearsState.DISPUTED,
)


class ArrearsCase(models.Model):
    """清欠台账 entry: one overdue payment (or a complaint / an imported inventory line)."""

    code = models.CharField("台账编号", max_length=30, unique=True)
    source = models.CharField("来源", max_length=20, choices=ArrearsSource.choices)
    obligation = models.OneToOneField(
        Obligation, null=True, blank=True, on_delete=models.PROTECT, related_name="arrears_case"
    )
    contract = models.ForeignKey(
        GovContract, null=True, blank=True, on_delete=models.PROTECT, related_name="arrears_cases"
    )
    debtor = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="arrears_as_debtor", verbose_name="欠款方"
    )
    debtor_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="arrears_cases",
        verbose_name="欠款单位",
    )
    creditor = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="arrears_as_creditor",
        verbose_name="债权企业",
    )
    amount = models.DecimalField("认定欠款（元）", max_digits=16, decimal_places=2)
    disputed_amount = models.DecimalField("有争议部分（元）", max_digits=16, decimal_places=2, default=ZERO)
    repaid_amount = models.DecimalField("已清偿（元）", max_digits=16, decimal_places=2, default=ZERO)
    due_on = models.DateField("应付日期")
    overdue_since = models.DateField("逾期起始日")
    interest_rate_daily = models.DecimalField("逾期日利率", max_digits=9, decimal_places=7)
    rate_source = models.CharField("利率依据", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=ArrearsState.choices, default=ArrearsState.IDENTIFIED, db_index=True
    )
    opened_on = models.DateField("立案日期")
    cleared_on = models.DateField("清偿日期", null=True, blank=True)
    dispute_reason = models.TextField("争议理由", blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "清欠台账"
        verbose_name_plural = "清欠台账"

    def __str__(self) -> str:
        return self.code

    @property
    def outstanding(self) -> Decimal:
        return max(ZERO, self.amount - self.repaid_amount)

    @property
    def undisputed_amount(self) -> Decimal:
        return max(ZERO, self.outstanding - self.disputed_amount)


class RepaymentInstalment(models.Model):
    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="plan")
    due_on = models.DateField("计划还款日")
    amount = models.DecimalField("计划金额（元）", max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "还款计划"

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class RepairPreparation(models.Model):
    """When a case is cleared: a repair application pre-filled with the vouchers, for the debtor unit
    to file through 信用修复 once the record may be repaired."""

    case = models.OneToOneField(ArrearsCase, on_delete=models.CASCADE, related_name="repair_preparation")
    record = models.ForeignKey("records.CreditRecord", null=True, blank=True, on_delete=models.SET_NULL)
    applicant = models.CharField("申请单位", max_length=200)
    measures_taken = models.TextField("已采取的纠正措施")
    vouchers = models.JSONField("付款凭证", default=list)
    prepared_on = models.DateField("准备日期")
    filed_case = models.ForeignKey(
        "disputes.DisputeCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "信用修复申请（预填）"

    def __str__(self) -> str:
        return f"{self.applicant} {self.prepared_on}"


class ArrearsDisclosure(models.Model):
    """Art 18: the yearly public statement of overdue SME contracts per unit (by 31 March)."""

    year = models.PositiveIntegerField("年度", unique=True)
    as_of = models.DateField("统计截止日")
    due_by = models.DateField("公开期限")
    due_explain = models.TextField("期限说明", blank=True)
    rows = models.JSONField("各单位统计", default=list)
    total_count = models.PositiveIntegerField("逾期合同数", default=0)
    total_amount = models.DecimalField("逾期金额（元）", max_digits=18, decimal_places=2, default=ZERO)
    version = models.PositiveIntegerField("版本", default=1)
    published_at = models.DateTimeField("公开时间")

    class Meta:
        ordering = ["-year"]
        verbose_name = "逾期合同年度公开"

    def __str__(self) -> str:
        return f"{self.year}年度逾期合同公开（第{self.version}版）"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    FORWARDED = "forwarded", "已转交"
    DECIDED = "decided", "已办结"


class ComplaintOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "投诉属实"
    PARTLY = "partly", "部分属实"
    UNSUBSTANTIATED = "unsubstantiated", "投诉不属实"
    NOT_ACCEPTED = "not_accepted", "不予受理"


class ArrearsComplaint(models.Model):
    """An enterprise's complaint about non-payment (条例 Art 25): forwarded within 10 working days,
    decided within 30 days. The respondent sees the facts, never the complainant's contact details."""

    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    complainant = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="arrears_complaints",
        verbose_name="投诉企业",
    )
    contact_name = models.CharField("联系人", max_length=60)
    contact_cipher = models.TextField("联系方式（密文）")
    contact_masked = models.CharField("联系方式（脱敏）", max_length=40)
    respondent = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="arrears_complaints",
        verbose_name="被投诉单位",
    )
    contract = models.ForeignKey(GovContract, null=True, blank=True, on_delete=models.SET_NULL)
    contract_number = models.CharField("合同编号", max_length=80, blank=True)
    amount = models.DecimalField("投诉欠款金额（元）", max_digits=16, decimal_places=2)
    due_on = models.DateField("约定付款日期", null=True, blank=True)
    description = models.TextField("投诉事项")
    status = models.CharField(
        "状态", max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_on = models.DateField("收到日期")
    forward_by = models.DateField("转交期限")
    forward_explain = models.TextField(blank=True)
    decide_by = models.DateField("办结期限")
    decide_explain = models.TextField(blank=True)
    forwarded_on = models.DateField("转交日期", null=True, blank=True)
    decided_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=20, choices=ComplaintOutcome.choices, blank=True)
    outcome_note = models.TextField("办理意见", blank=True)
    arrears_case = models.ForeignKey(ArrearsCase, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "拖欠账款投诉"

    def __str__(self) -> str:
        return self.tracking_code

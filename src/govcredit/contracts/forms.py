"""Back-office forms: they collect fields; every rule is the service's (one validator per rule)."""

from __future__ import annotations

from django import forms

from .models import (
    ChangeKind,
    ChangeReason,
    ComplaintOutcome,
    ContractKind,
    DueRule,
    ObligationKind,
    PurchaserType,
    Scale,
    Trigger,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—")] + list(choices.choices)


class ObligationFields(forms.Form):
    kind = forms.ChoiceField(label="义务类型", choices=ObligationKind.choices, initial="payment")
    title = forms.CharField(
        label="义务内容", max_length=200, required=False, help_text="如：合同价款、第一期进度款"
    )
    amount = forms.DecimalField(label="金额（元）", max_digits=16, decimal_places=2, required=False)
    due_rule = forms.ChoiceField(label="期限规则", choices=_blank(DueRule), required=False)
    fixed_due_on = forms.DateField(label="约定日期", required=False, widget=DATE)
    trigger = forms.ChoiceField(label="起算事件", choices=_blank(Trigger), required=False)
    days = forms.IntegerField(
        label="期限（日）",
        required=False,
        min_value=0,
        help_text="机关、事业单位向中小企业付款不超过60日（条例第九条）",
    )
    months = forms.IntegerField(label="期限（月）", required=False, min_value=1)
    delivered_on = forms.DateField(label="交付日期", required=False, widget=DATE)
    acceptance_days = forms.IntegerField(
        label="约定验收期（日）",
        required=False,
        min_value=0,
        help_text="验收拖延的，自约定验收期满之日起算付款期限（条例第十条）",
    )
    accepted_on = forms.DateField(label="验收日期", required=False, widget=DATE)


class ContractForm(ObligationFields):
    number = forms.CharField(label="合同编号", max_length=80)
    title_contract = forms.CharField(label="合同名称", max_length=200)
    contract_kind = forms.ChoiceField(label="合同类型", choices=ContractKind.choices)
    government = forms.CharField(
        label="政府方", max_length=200, help_text="统一社会信用代码、登记名称或简称，如 区住建局"
    )
    purchaser_type = forms.ChoiceField(label="采购人性质", choices=_blank(PurchaserType), required=False)
    counterparty_uscc = forms.CharField(label="相对方统一社会信用代码", max_length=30)
    counterparty_name = forms.CharField(
        label="相对方名称", max_length=200, required=False, help_text="主体库中未登记的企业须填写"
    )
    counterparty_scale = forms.ChoiceField(label="签约时企业规模", choices=Scale.choices)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    contract_amount = forms.DecimalField(label="合同金额（元）", max_digits=16, decimal_places=2)
    interest_rate_daily = forms.DecimalField(
        label="约定逾期日利率",
        max_digits=9,
        decimal_places=7,
        required=False,
        help_text="未约定的按每日万分之五（条例第十七条）",
    )
    amount_withheld = forms.BooleanField(label="金额涉及商业秘密，不予公开", required=False)
    procurement_ref = forms.CharField(label="采购项目编号", max_length=100, required=False)
    announcement_url = forms.CharField(label="采购公告链接", max_length=300, required=False)

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "number": d["number"],
            "title": d["title_contract"],
            "kind": d["contract_kind"],
            "government": d["government"],
            "purchaser_type": d["purchaser_type"],
            "counterparty_uscc": d["counterparty_uscc"],
            "counterparty_name": d["counterparty_name"],
            "counterparty_scale": d["counterparty_scale"],
            "signed_on": d["signed_on"],
            "amount": d["contract_amount"],
            "interest_rate_daily": d["interest_rate_daily"],
            "amount_withheld": d["amount_withheld"],
            "procurement_ref": d["procurement_ref"],
            "announcement_url": d["announcement_url"],
            "obligations": [],
        }
        if d.get("amount") is not None or d.get("due_rule") or d.get("fixed_due_on") or d.get("trigger"):
            data["obligations"] = [obligation_data(d)]
        return data


def obligation_data(d: dict) -> dict:
    keys = (
        "kind",
        "title",
        "amount",
        "due_rule",
        "fixed_due_on",
        "trigger",
        "days",
        "months",
        "delivered_on",
        "acceptance_days",
        "accepted_on",
    )
    return {k: d.get(k) for k in keys}


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="付款日期", widget=DATE)
    amount = forms.DecimalField(label="付款金额（元）", max_digits=16, decimal_places=2)
    voucher_no = forms.CharField(label="付款凭证号", max_length=100)
    voucher = forms.FileField(label="付款凭证（扫描件）", required=False)


class EventForm(forms.Form):
    delivered_on = forms.DateField(label="交付日期", required=False, widget=DATE)
    accepted_on = forms.DateField(label="验收日期", required=False, widget=DATE)
    event_on = forms.DateField(label="事件日期", required=False, widget=DATE)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label="变更类型", choices=ChangeKind.choices)
    reason = forms.ChoiceField(label="变更原因", choices=ChangeReason.choices)
    changed_on = forms.DateField(label="变更日期", widget=DATE)
    description = forms.CharField(label="变更内容", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法定依据", max_length=300, required=False)
    procedure = forms.CharField(label="履行程序", max_length=300, required=False)
    compensation = forms.DecimalField(label="补偿金额（元）", max_digits=16, decimal_places=2, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="合同台账（XLSX）", help_text="第一行为表头；每行一项义务，同一合同编号的多行合并为一份合同"
    )
    dry_run = forms.BooleanField(label="只检查不导入", required=False)


class ComplaintDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=ComplaintOutcome.choices)
    note = forms.CharField(label="办理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

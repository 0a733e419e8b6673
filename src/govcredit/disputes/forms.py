from __future__ import annotations

from django import forms

from govcredit.catalog.models import Severity
from govcredit.core.errors import Conflict, CreditError, NotFound
from govcredit.core.uploads import read_upload
from govcredit.office.views import apply_form_errors
from govcredit.records.forms import MultipleFileField

from . import services
from .models import CaseKind, CaseStatus, DisputeCase, Outcome

REQUIRED = {"required": "此项为必填项"}


def read_files(files) -> list[tuple[str, bytes]]:
    return [(f.name, read_upload(f)) for f in files or []]


def file_case(kind: str, data: dict, **kwargs) -> DisputeCase:
    """File what a filing form (portal or back office) cleaned, through the service of its kind;
    ``kwargs`` are the channel and, in the back office, the access."""
    common = {
        "record_id": data["record_id"],
        "applicant": data["applicant"],
        "contact": data["contact"],
        "files": read_files(data["evidence"]),
        **kwargs,
    }
    if kind == CaseKind.OBJECTION:
        return services.file_objection(reason=data["reason"], **common)
    return services.file_repair(
        measures_taken=data["measures_taken"],
        obligations_fulfilled=data["obligations_fulfilled"],
        commitment_confirmed=data["commitment_confirmed"],
        **common,
    )


def apply_error(form: forms.Form, exc: CreditError, *, record_field: str = "record_id") -> None:
    """Show a service error at the fields it names; an error about the record itself (not found,
    conflict, repair not eligible) at the record field, anything else on the whole form."""
    about_record = isinstance(exc, NotFound | Conflict | services.NotEligible)
    apply_form_errors(form, exc, fallback=record_field if about_record else None)


class _ApplicantFields(forms.Form):
    record_id = forms.IntegerField(
        label="信用记录编号",
        min_value=1,
        max_value=2**62,
        error_messages={**REQUIRED, "invalid": "请填写记录编号（数字）", "min_value": "记录编号应为正整数"},
        help_text="在“失信记录公示”页面的记录详情中可以看到编号",
    )
    applicant = forms.CharField(label="申请人（姓名或单位名称）", max_length=100, error_messages=REQUIRED)
    contact = forms.CharField(
        label="联系方式",
        max_length=100,
        error_messages=REQUIRED,
        help_text="11位手机号码或电子邮箱，办理进展将通过短信或邮件通知您",
    )

    def clean_contact(self) -> str:
        """The format checked with the other fields, so every error shows at once."""
        contact = self.cleaned_data["contact"].strip()
        if services.notifications.contact_channel(contact) is None:
            raise forms.ValidationError(
                "请填写11位手机号码（如 13800000000）或电子邮箱（如 name@example.com）"
            )
        return contact


class ObjectionForm(_ApplicantFields):
    reason = forms.CharField(
        label="异议理由",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        min_length=5,
        error_messages={**REQUIRED, "min_length": "异议理由至少5个字，请说明具体情况"},
        help_text="说明记录哪些内容与事实不符，以及正确的情况（5–2000字）",
    )
    evidence = MultipleFileField(
        label="证明材料",
        required=False,
        help_text="可选，最多10个文件，支持 PDF、OFD、JPG、PNG，单个文件不超过20 MB",
    )


class RepairForm(_ApplicantFields):
    measures_taken = forms.CharField(
        label="已采取的纠正措施",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        error_messages=REQUIRED,
        help_text="说明已如何纠正失信行为：履行判决或决定、挽回损失、消除不良影响、防止危害扩大等",
    )
    evidence = MultipleFileField(
        label="履行义务的证明材料",
        required=True,
        error_messages={"required": "请上传已履行义务、纠正失信行为的证明材料"},
        help_text="如付款凭证、整改报告、法院结案证明；支持 PDF、OFD、JPG、PNG，单个文件不超过20 MB",
    )
    obligations_fulfilled = forms.BooleanField(
        label="本人/本单位声明：已全面履行处理决定确定的法定义务和约定义务",
        error_messages={"required": "申请信用修复须已全面履行义务，请勾选声明"},
    )
    commitment_confirmed = forms.BooleanField(
        label="已阅读并确认上方《信用承诺书》的内容，同意以申请人名义作出承诺",
        error_messages={"required": "请阅读并确认信用承诺书"},
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label="查询码或受理编号",
        max_length=64,
        error_messages=REQUIRED,
        help_text="查询码形如 YY20261203-0042-K7QX9M（不区分大小写），可单独查询；"
        "只记得受理编号（如 YY20261203-0042）的，请同时填写下方联系方式",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label="申请时填写的联系方式",
        max_length=100,
        required=False,
        help_text="凭受理编号查询时必填：提交申请时填写的手机号码或电子邮箱",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "text"}),
    )

    def clean(self):
        data = super().clean()
        code = services.normalise_code(data.get("code", ""))
        if services.RECEIPT_RE.match(code) and not (data.get("contact") or "").strip():
            self.add_error("contact", "凭受理编号查询时，请填写提交申请时留下的手机号码或电子邮箱")
        return data


class AnswerForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    answer = forms.CharField(
        label="补正说明", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, error_messages=REQUIRED
    )
    evidence = MultipleFileField(label="补充材料", required=False, help_text="支持 PDF、OFD、JPG、PNG")


# -- back office --------------------------------------------------------------------------------


class OfficeFileForm(_ApplicantFields):
    kind = forms.ChoiceField(label="申请类型", choices=CaseKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="异议理由（异议填写）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    measures_taken = forms.CharField(
        label="已采取的纠正措施（修复填写）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    obligations_fulfilled = forms.BooleanField(label="申请人已声明履行义务（修复）", required=False)
    commitment_confirmed = forms.BooleanField(label="申请人已签署信用承诺书（修复）", required=False)
    evidence = MultipleFileField(label="申请材料", required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )


class ReturnForm(forms.Form):
    request = forms.CharField(
        label="需补正的材料及理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=REQUIRED,
    )


class ResumeForm(forms.Form):
    answer = forms.CharField(
        label="申请人补正情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=REQUIRED,
    )
    evidence = MultipleFileField(label="补充材料", required=False)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", widget=forms.RadioSelect, error_messages=REQUIRED)
    reason = forms.CharField(
        label="决定理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )
    facts = forms.CharField(
        label="更正后的失信事实", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    severity = forms.ChoiceField(
        label="更正后的严重程度", choices=[("", "（不变）"), *Severity.choices], required=False
    )
    decided_on = forms.DateField(
        label="更正后的决定日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_by = forms.CharField(label="更正后的决定机关", max_length=200, required=False)
    outcome_text = forms.CharField(label="更正后的处理结果", max_length=2000, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            [(o, Outcome(o).label) for o in (Outcome.UPHELD, Outcome.CORRECTED, Outcome.REVOKED)]
            if kind == CaseKind.OBJECTION
            else [(o, Outcome(o).label) for o in (Outcome.APPROVED, Outcome.DENIED)]
        )
        self.fields["outcome"].choices = choices
        if kind != CaseKind.OBJECTION:
            for name in ("facts", "severity", "decided_on", "decided_by", "outcome_text"):
                del self.fields[name]

    def corrections(self) -> dict:
        data = self.cleaned_data
        mapping = {
            "facts": "facts",
            "severity": "severity",
            "decided_on": "decided_on",
            "decided_by": "decided_by",
            "outcome_text": "outcome",
        }
        return {
            target: data.get(name) for name, target in mapping.items() if data.get(name) not in (None, "")
        }


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="文书号/申请人", required=False, max_length=100)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *CaseKind.choices], required=False)
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), ("open", "未办结"), *CaseStatus.choices], required=False
    )
    due = forms.ChoiceField(
        label="期限",
        choices=[("", "不限"), ("soon", "即将到期"), ("overdue", "已逾期"), ("estimated", "预估期限")],
        required=False,
    )
    unit = forms.ChoiceField(label="报送单位", required=False)
    outcome = forms.ChoiceField(
        label="办理结果", choices=[("", "全部结果"), *Outcome.choices], required=False
    )
    received_from = forms.DateField(
        label="接收日期起", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="接收日期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位"), *[(str(u.pk), str(u)) for u in units]]

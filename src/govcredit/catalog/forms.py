from __future__ import annotations

from django import forms

from govcredit.accounts.models import Organisation
from govcredit.subjects.models import SubjectKind

from .models import Disclosure, Severity
from .services import period_problems

MONTHS_HELP = "从决定日期起算，0–60 个月"


class CatalogFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "事项代码或名称"}),
    )
    negative = forms.ChoiceField(
        label="信息性质", required=False, choices=[("", "全部"), ("1", "失信"), ("0", "守信")]
    )
    disclosure = forms.ChoiceField(
        label="公开方式", required=False, choices=[("", "全部"), *Disclosure.choices]
    )
    active = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")]
    )


class CatalogItemForm(forms.Form):
    code = forms.SlugField(
        label="事项代码",
        max_length=50,
        help_text="英文小写、数字、下划线，如 late_payment；一经使用不可变更，其他系统以此代码对接",
    )
    name = forms.CharField(label="事项名称", max_length=100)
    negative = forms.TypedChoiceField(
        label="信息性质", choices=[("1", "失信信息"), ("0", "守信（激励）信息")], coerce=lambda v: v == "1"
    )
    subject_kinds = forms.MultipleChoiceField(
        label="适用主体类型", choices=SubjectKind.choices, widget=forms.CheckboxSelectMultiple
    )
    severities = forms.MultipleChoiceField(
        label="严重程度", choices=Severity.choices, widget=forms.CheckboxSelectMultiple
    )
    disclosure = forms.ChoiceField(label="公开方式", choices=Disclosure.choices)
    min_general = forms.IntegerField(label="一般：最短公示（月）", required=False, min_value=0, max_value=60)
    max_general = forms.IntegerField(label="一般：最长公示（月）", required=False, min_value=0, max_value=60)
    min_major = forms.IntegerField(label="较重：最短公示（月）", required=False, min_value=0, max_value=60)
    max_major = forms.IntegerField(label="较重：最长公示（月）", required=False, min_value=0, max_value=60)
    min_serious = forms.IntegerField(label="严重：最短公示（月）", required=False, min_value=0, max_value=60)
    max_serious = forms.IntegerField(label="严重：最长公示（月）", required=False, min_value=0, max_value=60)
    repairable = forms.BooleanField(label="可申请信用修复", required=False)
    legal_basis = forms.CharField(label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source_units = forms.ModelMultipleChoiceField(
        label="可报送单位",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示任何报送单位均可报送",
    )
    shared_with_platform = forms.BooleanField(label="归集至市公共信用信息平台", required=False)
    active = forms.BooleanField(label="启用", required=False)
    reason = forms.CharField(
        label="修改原因", max_length=300, help_text="记入版本历史，如：依据某文件调整公示期限"
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["source_units"].queryset = Organisation.objects.filter(active=True).order_by("name")
        if editing:
            del self.fields["code"]
        else:
            self.fields["reason"].required = False
            self.fields["reason"].label = "说明"
            self.fields["reason"].help_text = "可不填，默认为“新增”"

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in {"new"}:
            raise forms.ValidationError("「new」是系统保留字，请换一个事项代码")
        return code

    def period_fields(self):
        return [(s, self[f"min_{s}"], self[f"max_{s}"]) for s in Severity.values]

    def clean(self):
        data = super().clean()
        periods = {}
        for severity in data.get("severities") or []:
            low, high = data.get(f"min_{severity}"), data.get(f"max_{severity}")
            for bound, message in period_problems(severity, low, high).items():
                self.add_error(f"{bound}_{severity}", message)
            periods[severity] = {"min_months": low, "max_months": high}
        data["display_periods"] = periods
        return data

    def item_data(self) -> dict:
        data = self.cleaned_data
        keys = (
            "name",
            "negative",
            "subject_kinds",
            "severities",
            "disclosure",
            "display_periods",
            "repairable",
            "legal_basis",
            "shared_with_platform",
            "active",
        )
        result = {k: data[k] for k in keys}
        result["name"] = result["name"].strip()
        result["legal_basis"] = result["legal_basis"].strip()
        if not self.editing:
            result["code"] = data["code"]
        return result


def initial_for(item) -> dict:
    initial = {
        "code": item.code,
        "name": item.name,
        "negative": "1" if item.negative else "0",
        "subject_kinds": item.subject_kinds,
        "severities": item.severities,
        "disclosure": item.disclosure,
        "repairable": item.repairable,
        "legal_basis": item.legal_basis,
        "source_units": list(item.source_units.all()),
        "shared_with_platform": item.shared_with_platform,
        "active": item.active,
    }
    for severity in Severity.values:
        low, high = item.period_for(severity)
        if severity in (item.display_periods or {}):
            initial[f"min_{severity}"] = low
            initial[f"max_{severity}"] = high
    return initial

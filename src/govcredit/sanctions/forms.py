"""Forms of the sanction and credit-check pages: they parse input; the services validate the rules."""

from __future__ import annotations

from django import forms

from govcredit.catalog.models import CatalogItem, Severity
from govcredit.core.errors import ValidationFailed
from govcredit.subjects.models import SubjectKind

from .models import Measure, Purpose, ReferralStatus
from .services import MEASURE_FIELDS


class AdjustForm(forms.Form):
    end = forms.DateField(
        label="新的结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="调整原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class LiftForm(forms.Form):
    reason = forms.CharField(label="解除原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MeasureForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        label="影响的核查用途", choices=Purpose.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Measure
        fields = list(MEASURE_FIELDS)
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def validate_unique(self):  # the service reports duplicates in Chinese
        pass


class RuleForm(forms.Form):
    item = forms.ModelChoiceField(label="目录事项", queryset=CatalogItem.objects.all(), empty_label="请选择")
    severity = forms.ChoiceField(
        label="严重程度", choices=[("", "任意程度"), *Severity.choices], required=False
    )
    subject_kind = forms.ChoiceField(
        label="主体类型", choices=[("", "任意主体"), *SubjectKind.choices], required=False
    )
    measures = forms.ModelMultipleChoiceField(
        label="措施",
        queryset=Measure.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    months = forms.CharField(
        label="期限（月）",
        required=False,
        help_text="按所选措施顺序填写，以逗号分隔；留空或填 0 表示用措施默认期限。如：12,0,24",
    )
    note = forms.CharField(label="说明", required=False, max_length=300)

    def lines(self):
        chosen = list(self.cleaned_data["measures"])
        raw = [p.strip() for p in (self.cleaned_data.get("months") or "").replace("，", ",").split(",")]
        lines = []
        for i, measure in enumerate(chosen):
            value = raw[i] if i < len(raw) else ""
            if value and not value.isdigit():
                raise ValidationFailed(
                    "期限有误", field_errors={"months": [f"第{i + 1}个期限「{value}」不是整数月数"]}
                )
            lines.append((measure, int(value) if value and int(value) > 0 else None))
        return lines


class RectificationForm(forms.Form):
    explanation = forms.CharField(
        label="书面说明（失信原因）", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    report = forms.CharField(
        label="整改报告（措施与效果）", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    attachments = forms.FileField(
        label="附件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
        help_text="PDF、OFD、JPG、PNG，可多选",
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="验收意见 / 退回理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}))


class ReferralForm(forms.Form):
    status = forms.ChoiceField(label="办理状态", choices=ReferralStatus.choices)
    outcome = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CheckForm(forms.Form):
    purpose = forms.ChoiceField(label="核查用途", choices=[("", "请选择"), *Purpose.choices])
    reason = forms.CharField(label="核查事由", max_length=300, help_text="如：2026年度先进集体评选推荐")
    codes = forms.CharField(
        label="代码清单",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "每行一个统一社会信用代码或居民身份证号码"}),
        help_text="每行一个，也可用逗号分隔；最多 20,000 个",
    )
    file = forms.FileField(label="或上传名单", required=False, help_text="CSV、XLSX 或 TXT，每格一个代码")

"""Forms of the shell's own pages: the audit-log filters and the working-day calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from govcredit.core.ledger import AUDIT_ACTIONS
from govcredit.core.models import AuditEntry

from .audit import KINDS


class HolidayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "法定节假日（休息）"), ("1", "调休上班日")],
        coerce=lambda v: v == "1",
        initial="0",
    )
    note = forms.CharField(label="说明", max_length=100, required=False, help_text="如：春节、国庆节调休")


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据",
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）",
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year < timezone.localdate().year - 5:
            raise forms.ValidationError("年份过早；只需录入当前及以后年份的放假安排")
        return year


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *((k.key, k.label) for k in KINDS)]
    )
    action = forms.ChoiceField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False)
    object_type = forms.CharField(
        label="对象类型",
        required=False,
        widget=forms.TextInput(attrs={"list": "audit-object-types", "placeholder": "如：信用记录"}),
    )
    object_id = forms.CharField(label="对象编号", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = set(AUDIT_ACTIONS) | set(
            AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        )
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "全部操作")] + [(k, f"{AUDIT_ACTIONS.get(k, k)}") for k in sorted(keys)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data

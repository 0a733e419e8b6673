"""Back-office action forms of 办事效率; field names are the service's keys (dates parsed by the service)."""

from __future__ import annotations

from django import forms

from .models import ItemKind

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: str, *, help_text: str = "不填为今天") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=DATE, help_text=help_text)


def _area(label: str, *, required: bool = True, max_length: int = 5000, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _confirm(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=True, error_messages={"required": "请勾选确认"})


class _UnitForm(forms.Form):
    """``unit``: the units offered (chosen by name, as the service reads it)."""

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].choices = [("", "请选择单位")] + [(u.name, u.name) for u in units]


class ServiceItemForm(_UnitForm):
    unit = forms.ChoiceField(label="实施单位", choices=())
    code = forms.CharField(label="事项编码", max_length=60)
    name = forms.CharField(label="事项名称", max_length=200)
    kind = forms.ChoiceField(label="办件类型", choices=[("", "请选择")] + ItemKind.choices)
    legal_days = forms.IntegerField(label="法定办结时限（工作日）", min_value=0, max_value=365)
    promised_days = forms.IntegerField(
        label="承诺办结时限（工作日）",
        min_value=0,
        max_value=365,
        required=False,
        help_text="不得超过法定办结时限；即办件当场办结，可不填",
    )
    tolerated_materials = _area("容缺受理材料", required=False, rows=2)
    notice_template = _area("一次性告知单", required=False, rows=3)
    basis = forms.CharField(label="设定依据", max_length=300, required=False)


class ServiceItemEditForm(ServiceItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"], self.fields["code"]


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label="办件 CSV 文件",
        help_text="政务服务平台导出的 CSV（UTF-8 或 GBK），表头：办件编号、事项编码、受理日期、办结日期、"
        "补正告知日期（多个用分号隔开）、不计入期间（开始日期~结束日期|原因）",
    )
    dry_run = forms.BooleanField(label="只检查，不保存", required=False)
    report = forms.BooleanField(label="下载问题清单（CSV：行号、列、原因、原值）", required=False)


class DecideAwardForm(_UnitForm):
    period = forms.CharField(label="评选期间", max_length=10, help_text="如 2026-03（月）、2026Q1（季度）")
    unit = forms.ChoiceField(label="获“奖”单位", choices=())
    reasons = _area("评定理由（列明办件和超期情况）")
    committee = forms.CharField(
        label="评定机构", max_length=200, required=False, help_text="不填为 周村区蜗牛奖评定委员会"
    )
    decided_on = _date("评定日期")
    confirm = _confirm("确认评定委员会已作出评定（评定后通报前不可修改）")


class PublishAwardForm(forms.Form):
    confirm = _confirm("确认向社会通报（通报后计入单位勤政高效扣分并开始计算申诉期限）")


class AppealForm(forms.Form):
    reason = _area("申诉理由和证据")


class AnswerAppealForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="答复结论",
        choices=[("", "请选择"), ("1", "申诉不成立，维持蜗牛奖"), ("0", "申诉成立，撤销蜗牛奖")],
        coerce=lambda v: v == "1",
    )
    answer = _area("答复内容")


class RectificationForm(forms.Form):
    follow_up = _area("整改情况")
    rectified_on = _date("整改完成日期")

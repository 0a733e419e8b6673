"""Back-office forms. They only collect input: every rule (and every Chinese message) is in
``services``; a service's ValidationFailed lands on these fields through ``apply_form_errors``."""

from __future__ import annotations

from django import forms

from .models import SERVICE_AREAS, Assessment, Cadence, Direction, Kind, Metric, SourceType, Status

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(enum, blank: str | None = None):
    out = list(enum.choices)
    return ([("", blank)] + out) if blank is not None else out


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(label="承诺类型", choices=_choices(Kind))
    title = forms.CharField(label="承诺事项", max_length=300, required=False)
    content = forms.CharField(label="承诺内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    subject = forms.CharField(
        label="承诺主体", required=False, help_text="统一社会信用代码或登记全称，如 周村区人民政府"
    )
    unit = forms.CharField(
        label="责任单位", required=False, help_text="全称或简称，如 区人社局；省略为承诺主体本身"
    )
    responsible_person = forms.CharField(label="责任人", max_length=60, required=False)
    source_type = forms.ChoiceField(
        label="来源", choices=_choices(SourceType), initial=SourceType.WORK_REPORT
    )
    source_document = forms.CharField(label="来源文号", max_length=120, required=False)
    source_clause = forms.CharField(label="条款", max_length=120, required=False)
    metric = forms.ChoiceField(label="指标类型", choices=_choices(Metric))
    metric_unit = forms.CharField(label="计量单位", max_length=20, required=False, help_text="如 人、万元")
    direction = forms.ChoiceField(label="方向", choices=_choices(Direction))
    baseline = forms.CharField(label="基期值", required=False)
    target = forms.CharField(label="目标值", required=False, help_text="数量或百分比指标必填")
    target_date = forms.CharField(label="目标完成日期", required=False, widget=DATE)
    start_on = forms.CharField(label="起始日期", required=False, widget=DATE)
    due_on = forms.CharField(label="承诺期限", required=False, widget=DATE)
    cadence = forms.ChoiceField(label="报告频次", choices=_choices(Cadence), initial=Cadence.QUARTERLY)
    areas = forms.MultipleChoiceField(
        label="服务领域（（十七）镇街公开承诺）",
        choices=[(a, a) for a in SERVICE_AREAS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.BooleanField(label="向社会公开", required=False, initial=True)
    code = forms.CharField(label="承诺编号", max_length=30, required=False, help_text="省略时自动编号")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data["public"] = bool(self.cleaned_data.get("public"))
        data["areas"] = list(self.cleaned_data.get("areas") or [])
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label="编号、事项或主体", required=False)
    kind = forms.ChoiceField(label="承诺类型", choices=_choices(Kind, "全部"), required=False)
    status = forms.ChoiceField(label="状态", choices=_choices(Status, "全部"), required=False)
    due = forms.ChoiceField(
        label="期限",
        choices=[("", "全部"), ("soon", "30日内到期"), ("overdue", "已逾期")],
        required=False,
    )
    area = forms.ChoiceField(
        label="服务领域", choices=[("", "全部")] + [(a, a) for a in SERVICE_AREAS], required=False
    )
    unit = forms.IntegerField(label="责任单位", required=False, min_value=1)


class ReportForm(forms.Form):
    period = forms.CharField(
        label="报告期", max_length=20, required=False, help_text="如 2026Q1、2026H1；到期自评可省略"
    )
    final = forms.BooleanField(label="到期自评报告", required=False)
    value = forms.CharField(label="完成值", required=False)
    done_on = forms.CharField(label="完成日期", required=False, widget=DATE)
    narrative = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(label="佐证材料", required=False)
    evidence_public = forms.BooleanField(label="佐证材料向社会公开", required=False, initial=True)


class AssessForm(forms.Form):
    outcome = forms.ChoiceField(label="核定结果", choices=_choices(Assessment.Outcome))
    achievement = forms.CharField(
        label="完成率（%）", required=False, help_text="数量、百分比指标可省略，按到期自评完成值计算"
    )
    reason = forms.CharField(label="核定理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ChangeForm(forms.Form):
    target = forms.CharField(label="新目标值", required=False)
    target_date = forms.CharField(label="新目标完成日期", required=False, widget=DATE)
    due_on = forms.CharField(label="新承诺期限", required=False, widget=DATE)
    change_reason = forms.CharField(
        label="变更理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    approving_document = forms.CharField(label="批准文件文号", max_length=200, required=False)
    approved_on = forms.CharField(label="批准日期", required=False, widget=DATE)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ConfirmForm(forms.Form):
    """A button with nothing to fill in (publish)."""


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300, required=False)


class ReviewForm(forms.Form):
    accept = forms.ChoiceField(label="审核", choices=[("1", "采纳"), ("0", "退回")])
    note = forms.CharField(label="审核意见", max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="目标任务表（.xlsx）")
    kind = forms.ChoiceField(
        label="承诺类型（表中未填时）", choices=_choices(Kind, "按表填写"), required=False
    )
    source_type = forms.ChoiceField(
        label="来源（表中未填时）", choices=_choices(SourceType, "按表填写"), required=False
    )
    source_document = forms.CharField(label="来源文号（表中未填时）", max_length=120, required=False)
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)

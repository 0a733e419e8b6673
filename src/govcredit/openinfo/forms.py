from __future__ import annotations

from django import forms

from . import services


class RequestForm(forms.Form):
    unit_id = forms.ModelChoiceField(
        label="受理机关", queryset=services.units(), empty_label="请选择行政机关"
    )
    applicant = forms.CharField(label="申请人姓名或单位名称", max_length=100)
    contact = forms.CharField(label="联系方式（电话或邮箱，不公开）", max_length=100)
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    form = forms.CharField(label="获取信息的方式（如 电子邮件、邮寄纸质件）", max_length=60, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)


# -- back-office action forms (field names are the service's keys; dates are parsed by the service) --
from .models import Audience, Channel, Level, Manner, ReplyType  # noqa: E402

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: str, *, required: bool = False, help_text: str = "不填为今天") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=DATE, help_text=help_text)


def _area(label: str, *, required: bool = True, max_length: int = 5000, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _confirm(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=True, error_messages={"required": "请勾选确认"})


class _UnitForm(forms.Form):
    """``unit``: the units the user may keep (chosen by name, as the service reads it)."""

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].choices = [("", "请选择单位")] + [(u.name, u.name) for u in units]


class RegisterRequestForm(_UnitForm):
    unit = forms.ChoiceField(label="受理机关", choices=())
    channel = forms.ChoiceField(label="提交方式", choices=[c for c in Channel.choices if c[0] != "online"])
    submitted_on = _date("提交日期", required=True, help_text="")
    received_on = _date(
        "签收或确认日期", help_text="邮寄、传真提交的必填（条例第三十一条）；当面提交的可不填"
    )
    applicant = forms.CharField(label="申请人姓名或单位名称", max_length=100)
    contact = forms.CharField(label="联系方式（电话或邮箱，不公开）", max_length=100)
    description = _area("所需政府信息的名称、文号或者便于查询的其他特征性描述")
    form = forms.CharField(label="获取信息的方式", max_length=60, required=False)


class ConfirmReceiptForm(forms.Form):
    received_on = _date("确认收到日期")


class ClarifyForm(forms.Form):
    what = _area("需要补正的事项和合理的补正期限", max_length=5000)
    on = _date(
        "补正通知日期", help_text="应在收到申请之日起7个工作日内一次性告知（条例第三十条）；不填为今天"
    )


class DateNoteForm(forms.Form):
    on = _date("日期")
    note = forms.CharField(label="说明", max_length=300, required=False)


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label="延长工作日数", min_value=1, max_value=20, help_text="最长不超过20个工作日，只能延长一次"
    )
    approver = forms.CharField(label="批准人（政府信息公开工作机构负责人）", max_length=100)
    reason = _area("延长理由", max_length=300, rows=2)


class ReplyForm(forms.Form):
    reply_type = forms.ChoiceField(
        label="答复类型（条例第三十六条）", choices=[("", "请选择")] + ReplyType.choices
    )
    text = _area("答复内容", max_length=20000, rows=6)
    on = _date("答复日期")
    confirm = _confirm("确认答复（答复后申请办结，不能再修改）")


class CatalogEntryForm(_UnitForm):
    unit = forms.ChoiceField(label="公开主体", choices=())
    code = forms.CharField(label="事项编码", max_length=40)
    level1 = forms.CharField(label="公开事项（一级）", max_length=100)
    level2 = forms.CharField(label="公开事项（二级）", max_length=100, required=False)
    content = _area("公开内容（要素）")
    basis = _area("公开依据", rows=2)
    time_limit = forms.CharField(label="公开时限", max_length=200, required=False)
    channels = forms.CharField(label="公开渠道和载体", max_length=300, required=False)
    audience = forms.ChoiceField(label="公开对象", choices=Audience.choices)
    manner = forms.ChoiceField(label="公开方式", choices=Manner.choices)
    level = forms.ChoiceField(label="公开层级", choices=Level.choices)


class CatalogReviseForm(CatalogEntryForm):
    change_reason = forms.CharField(label="修订理由", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"], self.fields["code"]


class ItemForm(_UnitForm):
    unit = forms.ChoiceField(label="公开主体", choices=())
    index_no = forms.CharField(label="索引号", max_length=60)
    name = forms.CharField(label="名称", max_length=200)
    summary = _area("内容概述")
    generated_on = _date(
        "生成日期", required=True, help_text="自生成之日起20个工作日内公开（条例第二十六条）"
    )
    catalog_code = forms.CharField(label="目录事项编码（可不填）", max_length=40, required=False)


class ItemPublishForm(forms.Form):
    published_on = _date("公开日期")
    url = forms.CharField(label="公开网址", max_length=300, required=False)
    confirm = _confirm("确认已向社会公开（登记后写入公开事项日志）")


class AnnualReportForm(_UnitForm):
    unit = forms.ChoiceField(label="单位", choices=())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

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

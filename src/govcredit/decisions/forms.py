from __future__ import annotations

from django import forms


class CommentForm(forms.Form):
    name = forms.CharField(label="姓名或单位", max_length=100)
    contact = forms.CharField(label="联系方式（不公开，可不填）", max_length=100, required=False)
    content = forms.CharField(label="意见和建议", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="如：区法院审判系统对接")

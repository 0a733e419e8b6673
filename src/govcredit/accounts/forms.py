"""Forms of the account administration pages (the rules are in ``accounts.services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from govcredit.subjects.models import Subject

from .models import Organisation, Role

ROLE_CHOICES = [("", "请选择角色"), *Role.choices]


def _units() -> QuerySet[Organisation]:
    return Organisation.objects.filter(active=True).order_by("name")


def set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Organisation]) -> None:
    """Give the form's unit field ``name`` its choices (set per form, not at import)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class UserFilterForm(forms.Form):
    q = forms.CharField(label="用户名或姓名", required=False)
    organisation = forms.ModelChoiceField(
        label="单位", queryset=Organisation.objects.order_by("name"), required=False, empty_label="全部单位"
    )
    role = forms.ChoiceField(label="角色", choices=[("", "全部角色"), *Role.choices], required=False)
    state = forms.ChoiceField(
        label="状态",
        choices=[
            ("", "全部"),
            ("active", "启用"),
            ("disabled", "已停用"),
            ("locked", "已锁定"),
            ("must_change", "待修改初始密码"),
        ],
        required=False,
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字和 _ . - @")
    display_name = forms.CharField(label="姓名", max_length=60, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择单位",
        error_messages={"required": "请选择单位"},
    )
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES, error_messages={"required": "请选择角色"})
    can_unmask = forms.BooleanField(label="可查看未脱敏身份证号", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organisation", _units())
        self.fields["username"].error_messages["required"] = "请填写用户名"


class UserEditForm(forms.Form):
    display_name = forms.CharField(label="姓名", max_length=60, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择单位",
        error_messages={"required": "请选择单位"},
    )
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES, error_messages={"required": "请选择角色"})
    can_unmask = forms.BooleanField(label="可查看未脱敏身份证号", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organisation", _units())


class OrganisationForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=200, error_messages={"required": "请填写单位名称"})
    short_name = forms.CharField(
        label="简称", max_length=60, required=False, help_text="如：区法院；导入时可用简称指明报送单位"
    )
    parent = forms.ModelChoiceField(
        label="上级单位", queryset=Organisation.objects.order_by("name"), required=False, empty_label="无"
    )
    subject_uscc = forms.CharField(
        label="对应主体的统一社会信用代码",
        max_length=18,
        required=False,
        help_text="单位本身被记录时填写（主体须已在主体管理中登记）",
    )
    is_credit_office = forms.BooleanField(label="社会信用体系建设牵头部门（信用办）", required=False)
    is_source_unit = forms.BooleanField(label="报送单位", required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def clean_subject_uscc(self) -> Subject | None:
        code = (self.cleaned_data.get("subject_uscc") or "").strip().upper()
        if not code:
            return None
        subject = Subject.objects.filter(uscc=code).first()
        if subject is None:
            raise forms.ValidationError(f"统一社会信用代码 {code} 尚未在主体管理中登记")
        return subject


class UnitFilterForm(forms.Form):
    q = forms.CharField(label="名称或简称", required=False)
    kind = forms.ChoiceField(
        label="类型",
        choices=[("", "全部"), ("source", "报送单位"), ("office", "信用办"), ("disabled", "已停用")],
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="如：区法院审判系统对接")

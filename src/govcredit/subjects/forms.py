from __future__ import annotations

from django import forms

from .models import UNIT_KINDS, Subject, SubjectKind


def unit_choices_queryset():
    return Subject.objects.filter(kind__in=UNIT_KINDS).only("id", "name", "kind").order_by("name")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SubjectFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "名称、拼音首字母或代码"}),
    )
    kind = forms.ChoiceField(
        label="主体类型", required=False, choices=[("", "全部类型"), *SubjectKind.choices]
    )
    needs_confirmation = forms.ChoiceField(
        label="确认状态", required=False, choices=[("", "全部"), ("1", "待信用办确认"), ("0", "已确认")]
    )
    placeholder = forms.ChoiceField(
        label="代码", required=False, choices=[("", "全部"), ("1", "占位代码"), ("0", "真实代码")]
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("name", "名称 ↑"),
            ("-name", "名称 ↓"),
            ("-created", "登记时间（新→旧）"),
            ("created", "登记时间（旧→新）"),
        ],
    )


class SubjectCreateForm(forms.Form):
    kind = forms.ChoiceField(label="主体类型", choices=SubjectKind.choices)
    name = forms.CharField(label="名称", max_length=200, help_text="单位全称或人员姓名")
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        required=False,
        help_text="政府、部门、企业填写：18 位，末位为校验字符",
    )
    id_number = forms.CharField(
        label="居民身份证号码",
        max_length=30,
        required=False,
        help_text="公务员、个人填写：18 位，加密保存，页面只显示脱敏号码",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    parent = UnitChoiceField(
        label="上级单位",
        required=False,
        queryset=Subject.objects.none(),
        help_text="部门填所属政府；公务员填所在单位",
    )
    aliases = forms.CharField(
        label="简称", max_length=200, required=False, help_text="常用简称，多个以空格分隔"
    )
    division_code = forms.CharField(label="行政区划代码", max_length=12, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices_queryset()


class RenameForm(forms.Form):
    name = forms.CharField(label="新名称", max_length=200)
    valid_from = forms.DateField(
        label="启用日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="不填为今天",
    )
    reason = forms.CharField(label="更名原因", max_length=200, help_text="如：机构改革，依据区委编办文件更名")


class ReplaceCodeForm(forms.Form):
    uscc = forms.CharField(
        label="真实统一社会信用代码", max_length=30, help_text="替换后不可再更改，请核对登记证书"
    )


class TenureForm(forms.Form):
    unit = UnitChoiceField(label="任职单位", queryset=Subject.objects.none())
    position = forms.CharField(label="职务", max_length=100)
    is_principal = forms.BooleanField(label="主要负责人", required=False)
    start = forms.DateField(label="任职开始", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label="任职结束",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="仍在任不填",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices_queryset()

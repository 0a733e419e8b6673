"""Back-office forms for credit records. They collect input; the rules live in
``records.validation.clean_record`` and ``records.services`` (errors come back at the fields)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.catalog.models import CatalogItem, Severity
from govcredit.subjects.models import SubjectKind

from .models import LIVE_STATUSES, CreditRecord, Status
from .validation import FACTS_MAX

SORTS = {
    "decided_on": (F("decided_on").asc(), "pk"),
    "-decided_on": (F("decided_on").desc(), "-pk"),
    "published_at": (F("published_at").asc(nulls_last=True), "pk"),
    "-published_at": (F("published_at").desc(nulls_last=True), "-pk"),
    "publish_until": (F("publish_until").asc(nulls_last=True), "pk"),
    "-publish_until": (F("publish_until").desc(nulls_last=True), "-pk"),
    "document_no": (F("document_no").asc(), "pk"),
    "-document_no": (F("document_no").desc(), "-pk"),
}
ALL = [("", "全部")]


def item_choices(items) -> list[tuple[str, str]]:
    return [(i.code, f"{i.name}（{'失信' if i.negative else '守信'}）") for i in items]


def source_unit_choices() -> list[tuple[str, str]]:
    units = Organisation.objects.filter(is_source_unit=True).order_by("name")
    return [(str(u.pk), str(u)) for u in units]


class RecordFilterForm(forms.Form):
    """The list's filters; each matches a column. Unknown or malformed values are ignored."""

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "文书号或主体名称"}),
    )
    status = forms.MultipleChoiceField(
        label="状态", required=False, choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    item = forms.ChoiceField(label="信息类别", required=False)
    severity = forms.ChoiceField(label="严重程度", required=False, choices=ALL + list(Severity.choices))
    source_unit = forms.ChoiceField(label="报送单位", required=False)
    subject_kind = forms.ChoiceField(
        label="主体类型", required=False, choices=ALL + list(SubjectKind.choices)
    )
    decided_from = forms.DateField(
        label="决定日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expiring = forms.IntegerField(
        label="N天内到期",
        required=False,
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"placeholder": "天数", "style": "min-width:90px;width:90px"}),
    )
    mine = forms.BooleanField(label="只看我创建的", required=False)
    # Set by links from a subject's page ("查看全部记录"); scoping still applies.
    subject = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["item"].choices = ALL + item_choices(CatalogItem.objects.order_by("-negative", "code"))
        self.fields["source_unit"].choices = ALL + source_unit_choices()

    def filtered(self, qs: QuerySet[CreditRecord], *, user) -> QuerySet[CreditRecord]:
        self.is_valid()
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        if q:
            qs = qs.filter(
                Q(document_no__icontains=q) | Q(subject__name__icontains=q) | Q(subject__uscc=q.upper())
            )
        if data.get("status"):
            qs = qs.filter(status__in=data["status"])
        if data.get("item"):
            qs = qs.filter(item__code=data["item"])
        if data.get("severity"):
            qs = qs.filter(severity=data["severity"])
        if data.get("source_unit"):
            qs = qs.filter(source_unit_id=int(data["source_unit"]))
        if data.get("subject_kind"):
            qs = qs.filter(subject__kind=data["subject_kind"])
        if data.get("decided_from"):
            qs = qs.filter(decided_on__gte=data["decided_from"])
        if data.get("decided_to"):
            qs = qs.filter(decided_on__lte=data["decided_to"])
        if data.get("expiring"):
            today = timezone.localdate()
            qs = qs.filter(
                status__in=LIVE_STATUSES,
                publish_until__gte=today,
                publish_until__lte=today + dt.timedelta(days=data["expiring"]),
            )
        if data.get("mine"):
            qs = qs.filter(created_by=user)
        if data.get("subject"):
            qs = qs.filter(subject_id=data["subject"])
        sort = data.get("sort") or ""
        if sort in SORTS:
            qs = qs.order_by(*SORTS[sort])
        return qs

    @property
    def sort_key(self) -> str:
        return (self.cleaned_data.get("sort") if hasattr(self, "cleaned_data") else "") or ""

    @property
    def active(self) -> bool:
        """Whether any filter is set (the empty state then says to clear them)."""
        if not hasattr(self, "cleaned_data"):
            return False
        return any(v for k, v in self.cleaned_data.items() if k != "sort")


class ReviewFilterForm(forms.Form):
    source_unit = forms.ChoiceField(label="报送单位", required=False)
    item = forms.ChoiceField(label="信息类别", required=False)
    severity = forms.ChoiceField(label="严重程度", required=False, choices=ALL + list(Severity.choices))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["item"].choices = ALL + item_choices(CatalogItem.objects.order_by("-negative", "code"))
        self.fields["source_unit"].choices = ALL + source_unit_choices()

    def filtered(self, qs):
        self.is_valid()
        data = self.cleaned_data
        if data.get("source_unit"):
            qs = qs.filter(source_unit_id=int(data["source_unit"]))
        if data.get("item"):
            qs = qs.filter(item__code=data["item"])
        if data.get("severity"):
            qs = qs.filter(severity=data["severity"])
        return qs


# -- create / edit ------------------------------------------------------------------------------


class SoftRequired:
    """Marked required (asterisk, browser hint) but judged by ``clean_record``, whose Chinese
    messages say what would be right; the form itself never adds a second "required" error."""

    def validate(self, value):
        required, self.required = self.required, False
        try:
            super().validate(value)
        finally:
            self.required = required


class TextField(SoftRequired, forms.CharField):
    pass


class ChoiceText(SoftRequired, forms.CharField):
    """A <select> whose value goes to the validator as typed (an unknown code gets its message)."""

    def __init__(self, *, choices=(), **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=choices))
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.ofd,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RecordForm(forms.Form):
    """Field names are the exchange keys, so the validator's errors land on the right field."""

    source_unit = forms.ModelChoiceField(
        label="报送单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择报送单位",
        error_messages={
            "required": "请选择报送单位",
            "invalid_choice": "只能以您所在的报送单位名义报送",
        },
    )
    subject_kind = ChoiceText(
        label="主体类型", choices=[("", "请选择")] + list(SubjectKind.choices), required=True
    )
    subject_name = TextField(label="主体名称", max_length=200, required=True)
    uscc = forms.CharField(
        label="统一社会信用代码",
        required=False,
        max_length=30,
        help_text="单位主体（政府、部门、企业）填写，18位",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    id_number = forms.CharField(
        label="身份证号",
        required=False,
        max_length=30,
        help_text="公务员、个人填写，18位；加密保存，页面只显示脱敏号码",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    unit_uscc = forms.CharField(
        label="所属单位统一社会信用代码",
        required=False,
        max_length=30,
        help_text="公务员填写其所在单位的代码",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    item = ChoiceText(label="信息类别", required=True)
    severity = ChoiceText(label="严重程度", choices=[("", "请选择")] + list(Severity.choices), required=True)
    document_no = TextField(
        label="决定文书号",
        max_length=100,
        required=True,
        help_text="与报送单位一起唯一确定一条记录；重复报送同一文书号会更新草稿",
        widget=forms.TextInput(attrs={"placeholder": "如：周法罚〔2026〕12号"}),
    )
    decided_on = TextField(label="决定日期", required=True, widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = TextField(label="决定机关", max_length=200, required=True)
    facts = TextField(
        label="失信事实",
        required=True,
        help_text=f"不超过{FACTS_MAX}字",
        widget=forms.Textarea(attrs={"rows": 6, "data-counter": str(FACTS_MAX)}),
    )
    outcome = forms.CharField(label="处理结果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label="法律依据",
        required=False,
        help_text="留空则使用目录中该事项的法律依据",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = MultipleFileField(
        label="证据材料",
        required=False,
        help_text="可多选；接受 PDF、OFD、JPG、PNG",
    )

    def __init__(self, *args, access, record: CreditRecord | None = None, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        unit_ids = access.source_unit_ids()
        units = Organisation.objects.filter(pk__in=unit_ids).order_by("name")
        self.fields["source_unit"].queryset = units
        if len(unit_ids) == 1 and not self.is_bound:
            self.initial.setdefault("source_unit", next(iter(unit_ids)))
        items = (
            CatalogItem.objects.filter(active=True)
            .filter(Q(source_units__isnull=True) | Q(source_units__in=unit_ids))
            .distinct()
            .order_by("-negative", "code")
        )
        self.items = list(items)
        self.fields["item"].widget.choices = [("", "请选择目录事项")] + item_choices(self.items)
        self.fields[
            "evidence"
        ].help_text = f"可多选；接受 PDF、OFD、JPG、PNG，每个文件不超过 {max_bytes // (1024 * 1024)} MB"
        self.fields["facts"].widget.attrs["maxlength"] = str(FACTS_MAX)
        if record is not None:
            # The natural key never changes; the unit answers for the record.
            self.fields["document_no"].disabled = True
            self.fields["source_unit"].disabled = True
            self.fields["source_unit"].queryset = Organisation.objects.filter(pk=record.source_unit_id)
            if record.subject.is_person:
                self.fields[
                    "id_number"
                ].help_text = (
                    f"已登记：{record.subject.id_masked}。不更换主体时请留空；更换时填写新的身份证号"
                )

    def record_data(self) -> dict:
        """The exchange-format dict for ``services.upsert_record``."""
        data = {
            k: self.cleaned_data.get(k) or "" for k in self.fields if k not in ("source_unit", "evidence")
        }
        if self.record is not None:
            data["document_no"] = self.record.document_no
        return data

    @classmethod
    def initial_for(cls, record: CreditRecord) -> dict:
        subject = record.subject
        parent = subject.parent
        return {
            "source_unit": record.source_unit_id,
            "subject_kind": subject.kind,
            # A name kept as a flagged mismatch stays as it was submitted until someone changes it.
            "subject_name": getattr(getattr(record, "name_mismatch", None), "submitted_name", subject.name),
            "uscc": subject.uscc or "",
            "unit_uscc": (parent.uscc or "") if subject.is_person and parent else "",
            "item": record.item.code,
            "severity": record.severity,
            "document_no": record.document_no,
            "decided_on": record.decided_on.isoformat(),
            "decided_by": record.decided_by,
            "facts": record.facts,
            "outcome": record.outcome,
            "legal_basis": record.legal_basis,
        }


# -- actions ------------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写理由", "max_length": "理由不能超过2000个字符"},
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, label: str = "理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"请填写{label}"


class CorrectionForm(forms.Form):
    item = ChoiceText(label="信息类别", required=True)
    severity = ChoiceText(label="严重程度", choices=list(Severity.choices), required=True)
    decided_on = TextField(label="决定日期", required=True, widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = TextField(label="决定机关", max_length=200, required=True)
    facts = TextField(
        label="失信事实",
        required=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(FACTS_MAX), "data-counter": str(FACTS_MAX)}),
    )
    outcome = forms.CharField(label="处理结果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(
        label="更正理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "说明为什么需要更正，以及依据"}),
        error_messages={"required": "请填写更正理由", "max_length": "理由不能超过2000个字符"},
    )

    def __init__(self, *args, record: CreditRecord, **kwargs):
        super().__init__(*args, **kwargs)
        items = CatalogItem.objects.filter(Q(active=True) | Q(pk=record.item_id)).order_by(
            "-negative", "code"
        )
        self.fields["item"].widget.choices = item_choices(items)
        if not self.is_bound:
            self.initial.update(
                {
                    "item": record.item.code,
                    "severity": record.severity,
                    "decided_on": record.decided_on.isoformat(),
                    "decided_by": record.decided_by,
                    "facts": record.facts,
                    "outcome": record.outcome,
                    "legal_basis": record.legal_basis,
                }
            )

    def changes(self) -> dict:
        return {k: self.cleaned_data.get(k) or "" for k in self.fields if k != "reason"}

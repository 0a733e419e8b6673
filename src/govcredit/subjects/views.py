"""主体管理: the registry list, detail, and the credit office's edits (all through subjects.services)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govcredit.core.errors import ValidationFailed
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import services
from .forms import RenameForm, ReplaceCodeForm, SubjectCreateForm, SubjectFilterForm, TenureForm
from .models import UNIT_KINDS, Subject, SubjectKind

WRITE_DENIED = "只有信用办和系统管理员可以登记或修改主体信息"
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}


def _filtered(request):
    form = SubjectFilterForm(request.GET)
    qs = services.subjects_for(request.access).select_related("parent")
    if not form.is_valid():
        return form, qs.order_by("name", "pk")
    data = form.cleaned_data
    qs = services.search_subjects(data["q"], qs)
    if data["kind"]:
        qs = qs.filter(kind=data["kind"])
    if data["needs_confirmation"]:
        qs = qs.filter(needs_confirmation=data["needs_confirmation"] == "1")
    if data["placeholder"]:
        qs = qs.filter(placeholder_code=data["placeholder"] == "1")
    return form, qs.order_by(*SORTS.get(data["sort"] or "name", SORTS["name"]))


@office_view
def subject_list(request):
    form, qs = _filtered(request)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                s.display_name,
                s.get_kind_display(),
                s.code_display,
                s.parent.name if s.parent_id else "",
                s.division_code,
                "是" if s.placeholder_code else "否",
                "是" if s.needs_confirmation else "否",
                s.created_at,
            )
            for s in qs.iterator(chunk_size=2000)
        )
        headers = [
            "名称",
            "主体类型",
            "统一社会信用代码/身份证号（脱敏）",
            "上级单位",
            "行政区划代码",
            "占位代码",
            "待确认",
            "登记时间",
        ]
        return xlsx_response("主体名录", "主体名录", headers, rows)
    context = paginate(request, qs)
    context.update(
        {
            "nav": "subjects",
            "form": form,
            "can_manage": request.access.can_manage_subjects(),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "filtered": any(request.GET.get(k) for k in ("q", "kind", "needs_confirmation", "placeholder")),
            "sort": form.cleaned_data.get("sort") if form.is_valid() else "name",
            "sort_qs": query_string(request, drop=("page", "sort", "export")),
        }
    )
    return render(request, "subjects/subject_list.html", context)


def _detail_context(request, subject: Subject, **extra) -> dict:
    from govcredit.records.selectors import records_for

    access = request.access
    records_qs = (
        records_for(access)
        .filter(subject=subject)
        .select_related("item", "source_unit")
        .order_by("-created_at")
    )
    children = services.subjects_for(access).filter(parent=subject).order_by("name")
    context = {
        "nav": "subjects",
        "subject": subject,
        "children": children[:50],
        "children_count": children.count(),
        "names": _names(subject),
        "tenures": subject.tenures.select_related("unit")
        if subject.kind == SubjectKind.CIVIL_SERVANT
        else None,
        "staff": (
            subject.staff_tenures.select_related("person").filter(end__isnull=True)
            if subject.kind in UNIT_KINDS
            else None
        ),
        "records": records_qs[:20],
        "records_count": records_qs.count(),
        "can_manage": access.can_manage_subjects(),
        "can_unmask": access.can_unmask and subject.is_person and bool(subject.id_cipher),
    }
    context.update(extra)
    return context


def _names(subject: Subject) -> list[dict]:
    from govcredit.core.codes import mask_name

    return [
        {"name": mask_name(n.name) if subject.is_person else n.name, "entry": n} for n in subject.names.all()
    ]


@office_view
def subject_detail(request, pk: int):
    subject = services.get_subject_for_user(request.access, pk)
    return render(request, "subjects/subject_detail.html", _detail_context(request, subject))


@office_view
@require_POST
def subject_reveal(request, pk: int):
    subject = services.get_subject_for_user(request.access, pk)
    value = services.reveal_id_number(subject, access=request.access, purpose="管理后台主体详情")
    response = render(
        request,
        "subjects/subject_detail.html",
        _detail_context(request, subject, revealed=value, revealed_name=subject.name),
    )
    response["Cache-Control"] = "no-store"
    return response


@office_view
def subject_create(request):
    require(request.access.can_manage_subjects(), WRITE_DENIED)
    form = SubjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = services.create_subject(
                services.SubjectData(
                    kind=data["kind"],
                    name=data["name"],
                    uscc=data["uscc"],
                    id_number=data["id_number"],
                    parent=data["parent"],
                    aliases=data["aliases"].strip(),
                    division_code=data["division_code"].strip(),
                ),
                actor=request.user,
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"已登记主体「{subject.display_name}」")
            return redirect("subjects:detail", pk=subject.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "subjects/subject_form.html", {"nav": "subjects", "form": form}, status=status)


def _edit(request, pk, form_class, template_title, apply, initial=None):
    """Shared GET/POST flow of the small edit pages: form → service → message → detail."""
    require(request.access.can_manage_subjects(), WRITE_DENIED)
    subject = services.get_subject_for_user(request.access, pk)
    form = form_class(request.POST or None, initial=initial(subject) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            message = apply(subject, form.cleaned_data)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("subjects:detail", pk=subject.pk)
    context = {"nav": "subjects", "form": form, "subject": subject, "form_title": template_title}
    return render(
        request, "subjects/subject_edit.html", context, status=422 if request.method == "POST" else 200
    )


@office_view
def subject_rename(request, pk: int):
    def apply(subject, data):
        services.rename_subject(
            subject, data["name"], actor=request.user, reason=data["reason"], valid_from=data["valid_from"]
        )
        return f"已更名为「{subject.display_name}」，原名称保留在名称历史中"

    return _edit(request, pk, RenameForm, "主体更名", apply, initial=lambda s: {"name": s.name})


@office_view
def subject_replace_code(request, pk: int):
    def apply(subject, data):
        services.replace_placeholder_code(subject, data["uscc"], actor=request.user)
        return f"已将占位代码替换为 {subject.uscc}"

    return _edit(request, pk, ReplaceCodeForm, "替换占位代码", apply)


@office_view
def subject_add_tenure(request, pk: int):
    def apply(subject, data):
        services.add_tenure(
            subject,
            data["unit"],
            position=data["position"],
            start=data["start"],
            end=data["end"],
            is_principal=data["is_principal"],
            actor=request.user,
        )
        return f"已登记任职：{data['unit'].name} {data['position']}"

    return _edit(request, pk, TenureForm, "登记任职", apply)


@office_view
@require_POST
def subject_confirm(request, pk: int):
    require(request.access.can_manage_subjects(), WRITE_DENIED)
    subject = services.get_subject_for_user(request.access, pk)
    services.confirm_subject(subject, actor=request.user)
    messages.success(request, f"已确认主体「{subject.display_name}」")
    return redirect("subjects:detail", pk=subject.pk)

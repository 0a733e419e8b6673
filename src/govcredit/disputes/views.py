"""Back office: 异议与修复 dashboard, case pages, actions, statistics. Thin: rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.models import Organisation
from govcredit.core.calendar import office_calendar
from govcredit.core.codes import mask_name
from govcredit.core.errors import CreditError, NotFound, PermissionDenied
from govcredit.core.uploads import download_response
from govcredit.office.views import office_view, paginate, query_string

from . import forms, services, stats
from .models import OPEN_STATUSES, RUNNING_STATUSES, CaseKind, Channel, Notification

PAGE_SIZE = 20


#: every case page: a unit (or the administrator role) required, the ``Access`` passed to the view
cases_view = office_view(pass_access=True, no_role_message="您不属于任何单位，不能查看异议与修复案件")


def mask_contact(contact: str) -> str:
    contact = contact or ""
    if "@" in contact:
        name, _, domain = contact.partition("@")
        return (name[:2] + "***@" + domain) if name else contact
    if len(contact) >= 7:
        return contact[:3] + "****" + contact[-4:]
    return "****"


def _filtered(request, access):
    base = services.cases_for(access)
    units = Organisation.objects.filter(pk__in=base.values("record__source_unit_id")).order_by("name")
    form = forms.CaseFilterForm(request.GET or None, units=units)
    qs = base
    today = timezone.localdate()
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(record__document_no__contains=d["q"]) | Q(applicant__contains=d["q"]))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"] == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["unit"]:
            qs = qs.filter(record__source_unit_id=d["unit"])
        if d["outcome"]:
            qs = qs.filter(outcome=d["outcome"])
        if d["received_from"]:
            qs = qs.filter(received_on__gte=d["received_from"])
        if d["received_to"]:
            qs = qs.filter(received_on__lte=d["received_to"])
        if d["due"] == "overdue":
            qs = qs.filter(status__in=RUNNING_STATUSES, due_on__lt=today)
        elif d["due"] == "soon":
            qs = qs.filter(
                status__in=RUNNING_STATUSES, due_on__gte=today, due_on__lte=services.due_soon_until(today)
            )
        elif d["due"] == "estimated":
            qs = qs.filter(status__in=OPEN_STATUSES, due_estimated=True)
    return form, base, qs


def _filters_text(form) -> str:
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


@cases_view
def case_list(request, access):
    form, base, qs = _filtered(request, access)
    if request.GET.get("format") == "xlsx":
        data = stats.cases_xlsx(qs.order_by("-received_at", "-id"))
        return _xlsx(data, "异议与修复案件")
    today = timezone.localdate()
    cal = office_calendar()
    tiles = services.queue_counts(access, today, cal)
    pages = paginate(request, qs.order_by("-received_at", "-id"), PAGE_SIZE)
    rows = [(c, services.due_state(c, today, cal)) for c in pages["page_obj"].object_list]
    return render(
        request,
        "disputes/case_list.html",
        {
            "nav": "disputes",
            "form": form,
            **pages,
            "rows": rows,
            "tiles": tiles,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_file": access.sees_everything or bool(access.source_unit_ids()),
        },
    )


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _detail_context(request, access, case, **forms_override):
    cal = office_calendar()
    clock = services.clock_of(case, cal)
    handler = services.may_handle(access, case)
    ctx = {
        "nav": "disputes",
        "case": case,
        "record": case.record,
        "clock": clock,
        "due_state": services.due_state(case, cal=cal),
        "may_handle": handler,
        "events": case.events.select_related("actor").all(),
        "pauses": case.pauses.all(),
        "evidence": case.evidence.all(),
        "notifications": Notification.objects.filter(case=case)[:20],
        "contact": case.contact if handler else mask_contact(case.contact),
        "applicant": case.applicant if handler else mask_name(case.applicant),
        "eligibility": services.repair_eligibility(case.record)
        if case.kind == CaseKind.REPAIR and case.is_open
        else None,
        "note_form": forms.NoteForm(),
        "refuse_form": forms.ReasonForm(),
        "return_form": forms.ReturnForm(),
        "resume_form": forms.ResumeForm(),
        "decide_form": forms.DecideForm(kind=case.kind),
        "open_form": "",
    }
    ctx.update(forms_override)
    return ctx


@cases_view
def case_detail(request, access, pk):
    case = _get(access, pk)
    return render(request, "disputes/case_detail.html", _detail_context(request, access, case))


def _get(access, pk):
    try:
        return services.get_case_for_user(access, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


ACTIONS = {
    "accept": (forms.NoteForm, "受理"),
    "refuse": (forms.ReasonForm, "不予受理"),
    "forward": (forms.NoteForm, "转交核查"),
    "return": (forms.ReturnForm, "退回补正"),
    "resume": (forms.ResumeForm, "登记补正并恢复计时"),
    "decide": (forms.DecideForm, "作出决定"),
}
FORM_KEYS = {
    "accept": "note_form",
    "forward": "note_form",
    "refuse": "refuse_form",
    "return": "return_form",
    "resume": "resume_form",
    "decide": "decide_form",
}


@cases_view
@require_POST
def case_action(request, access, pk, action):
    case = _get(access, pk)
    if action not in ACTIONS:
        raise Http404("未知操作")
    form_class, label = ACTIONS[action]
    kwargs = {"kind": case.kind} if action == "decide" else {}
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "accept":
                services.accept_case(case, access=access, note=d["note"])
            elif action == "forward":
                services.forward_case(case, access=access, note=d["note"])
            elif action == "refuse":
                services.refuse_case(case, access=access, reason=d["reason"])
            elif action == "return":
                services.return_case(case, access=access, request=d["request"])
            elif action == "resume":
                services.resume_case(
                    case, access=access, answer=d["answer"], files=forms.read_files(d["evidence"])
                )
            else:
                services.decide_case(
                    case,
                    access=access,
                    outcome=d["outcome"],
                    reason=d["reason"],
                    corrections=form.corrections(),
                )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except CreditError as exc:
            forms.apply_error(form, exc, record_field="")
        else:
            messages.success(request, f"已{label}")
            return redirect("disputes:detail", pk=case.pk)
    case.refresh_from_db()
    messages.error(request, f"{label}未完成，请按提示修改")
    ctx = _detail_context(request, access, case, **{FORM_KEYS[action]: form, "open_form": action})
    return render(request, "disputes/case_detail.html", ctx, status=422)


@cases_view
def evidence_download(request, access, pk, evidence_id):
    case = _get(access, pk)
    evidence = case.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("材料不存在")
    return download_response(evidence)


@cases_view
def case_new(request, access):
    if not (access.sees_everything or access.source_unit_ids()):
        raise DjangoPermissionDenied("只有信用办或报送单位工作人员可以代为登记申请")
    form = forms.OfficeFileForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind", "objection"), "record_id": request.GET.get("record")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = forms.file_case(d["kind"], d, channel=Channel.OFFICE, access=access)
        except CreditError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(
                request, f"已登记，受理编号：{case.receipt_no}，查询码：{case.tracking_code}（请告知申请人）"
            )
            return redirect("disputes:detail", pk=case.pk)
    return render(
        request,
        "disputes/case_new.html",
        {"nav": "disputes", "form": form},
        status=422 if form.errors else 200,
    )


@cases_view
def statistics(request, access):
    form, _base, qs = _filtered(request, access)
    data = stats.statistics(qs)
    if request.GET.get("format") == "xlsx":
        return _xlsx(stats.stats_xlsx(data, filters_text=_filters_text(form)), "异议与修复统计")
    return render(
        request,
        "disputes/stats.html",
        {
            "nav": "disputes",
            "form": form,
            "data": data,
            "charts": stats.charts(qs, data, timezone.localdate()) if data["overall"].total else [],
            "query_string": query_string(request, drop=("format",)),
        },
    )

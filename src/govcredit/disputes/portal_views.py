"""Public pages on 信用周村: file an objection, apply for repair, follow a case by its tracking code.

Pages carrying a tracking code are answered to POST only, so the code never lands in a URL, a log
or the browser history."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govcredit.core.errors import CreditError
from govcredit.records.selectors import public_records

from . import forms, services
from .models import CaseKind, Channel


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _public_record(value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return public_records().filter(pk=pk).first() if 0 < pk < 2**62 else None


def _record_context(value) -> dict:
    record = _public_record(value)
    asked = value not in (None, "")
    open_case = record is not None and services.has_open_case(record)
    return {"record": record, "record_missing": asked and record is None, "record_open_case": open_case}


def _filed(request, case):
    return render(
        request,
        "disputes/portal_filed.html",
        {"case": case, "clock": services.clock_of(case)},
    )


def _file_on_portal(request, form_class, kind):
    """The filing form, bound on POST; with the case when it was filed, else None."""
    form = form_class(
        request.POST or None, request.FILES or None, initial={"record_id": request.GET.get("record")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            return form, forms.file_case(kind, form.cleaned_data, channel=Channel.PORTAL)
        except CreditError as exc:
            forms.apply_error(form, exc)
    return form, None


@never_cache
@require_http_methods(["GET", "POST"])
def objection_new(request):
    form, case = _file_on_portal(request, forms.ObjectionForm, CaseKind.OBJECTION)
    if case is not None:
        return _filed(request, case)
    return render(
        request,
        "disputes/portal_objection.html",
        {"form": form, **_record_context(form["record_id"].value())},
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def repair_new(request):
    form, case = _file_on_portal(request, forms.RepairForm, CaseKind.REPAIR)
    if case is not None:
        return _filed(request, case)
    ctx = _record_context(form["record_id"].value())
    record = ctx["record"]
    eligibility = services.repair_eligibility(record) if record else None
    commitment = (
        services.commitment_text(record, form["applicant"].value() or "", timezone.localdate())
        if record
        else ""
    )
    return render(
        request,
        "disputes/portal_repair.html",
        {"form": form, **ctx, "eligibility": eligibility, "commitment": commitment},
        status=422 if form.errors else 200,
    )


def _case_page(request, case, *, answer_form=None, answered=False, status=200):
    """The tracking page; once the applicant has answered, the confirmation instead of the form."""
    if not answered and answer_form is None:
        answer_form = forms.AnswerForm(initial={"code": case.tracking_code})
    return render(
        request,
        "disputes/portal_case.html",
        {
            "case": case,
            "view": services.public_view(case),
            "history": case.events.filter(public=True),
            "clock": services.clock_of(case),
            "answered": answered,
            "answer_form": answer_form,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def case_lookup(request):
    form = forms.LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.lookup_case(
                    form.cleaned_data["code"], ip=_ip(request), contact=form.cleaned_data["contact"]
                )
            except CreditError as exc:
                form.add_error("code", exc.message)
                status = exc.status_code
            else:
                return _case_page(request, case)
        else:
            status = 422
    return render(request, "disputes/portal_lookup.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["POST"])
def case_answer(request):
    form = forms.AnswerForm(request.POST, request.FILES)
    lookup = forms.LookupForm({"code": request.POST.get("code", "")})
    try:
        case = services.lookup_case(request.POST.get("code", ""), ip=_ip(request))
    except CreditError as exc:
        lookup.is_valid()
        lookup.add_error("code", exc.message)
        return render(request, "disputes/portal_lookup.html", {"form": lookup}, status=exc.status_code)
    if form.is_valid():
        try:
            case = services.resume_case(
                case,
                answer=form.cleaned_data["answer"],
                files=forms.read_files(form.cleaned_data["evidence"]),
            )
        except CreditError as exc:
            forms.apply_error(form, exc)
        else:
            return _case_page(request, case, answered=True)
    return _case_page(request, case, answer_form=form, status=422)

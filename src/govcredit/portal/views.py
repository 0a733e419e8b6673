"""信用周村: public pages. Thin views over ``portal.selectors``; no login, no personal data unmasked."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from govcredit.catalog.models import Severity
from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.ledger import GENESIS, transparency_head, utc_iso
from govcredit.core.models import TransparencyEntry
from govcredit.core.site import public_base_url
from govcredit.subjects.models import SubjectKind

from . import exports, reports, selectors
from .cache import public_page
from .selectors import NoLongerPublic

EVENT_LABELS = {"publish": "公示", "correct": "更正", "withdraw": "撤下公示"}


def _base_url(request) -> str:
    return public_base_url(request)


def _not_found(request, message: str):
    return render(request, "portal/not_found.html", {"message": message}, status=404)


def _page(request, queryset, per_page: int = selectors.PAGE_SIZE):
    """Paginate; an out-of-range or malformed page number shows the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_safe
@public_page
def integrity(request):
    """政务诚信公开: every public column the wave-2 apps add, grouped (``portal.registry``)."""
    from .registry import grouped_columns

    return render(request, "portal/integrity.html", {"groups": grouped_columns()})


@require_safe
@public_page
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "stats": selectors.home_stats(),
            "latest": selectors.latest_publications(),
            "head": transparency_head(),
            "year": timezone.localdate().year,
        },
    )


@require_safe
@public_page
def search(request):
    error = ""
    q = ""
    try:
        q = selectors.clean_query(request.GET.get("q", ""))
    except ValidationFailed as exc:
        error = exc.message
    page_obj = None
    hits = []
    truncated = False
    if not error and q:
        found, truncated = selectors.search_public(q)
        page_obj = _page(request, found)
        hits = selectors.with_counts(list(page_obj.object_list))
    return render(
        request,
        "portal/search.html",
        {
            "q": q if not error else "",
            "error": error,
            "page_obj": page_obj,
            "hits": hits,
            "truncated": truncated,
            "max_candidates": selectors.MAX_CANDIDATES,
            "query_string": urlencode({"q": q}) if q else "",
        },
        status=200,
    )


@require_safe
@public_page
def subject_detail(request, code: str):
    try:
        subject = selectors.get_public_subject(code)
    except NotFound:
        return _not_found(request, "未找到该主体。请检查统一社会信用代码或公开编号，或使用上方搜索框查找。")
    if subject.public_code != code:
        return redirect("portal:subject", code=subject.public_code, permanent=True)
    records = list(selectors.subject_records(subject))
    return render(
        request,
        "portal/subject.html",
        {
            "subject": subject,
            "negative": [r for r in records if r.item.negative],
            "positive": [r for r in records if not r.item.negative],
            "under_objection": sum(1 for r in records if r.status == "under_objection"),
            "today": timezone.localdate(),
        },
    )


@require_safe
def subject_print(request, code: str):
    """The old 打印信用信息 page: the downloadable 信用报告 replaced it."""
    return redirect("portal:subject_report", code=code)


@require_safe
def subject_report(request, code: str):
    """信用报告 (PDF) with serial, SM3 digest and a QR code to this server's verify page."""
    try:
        subject = selectors.get_public_subject(code)
    except NotFound:
        return _not_found(request, "未找到该主体。")
    report = reports.issue_report(subject)
    pdf = reports.render_pdf(report, base_url=_base_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="xinyong-baogao-{report.serial}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def report_verify(request):
    serial = (request.GET.get("serial") or "").strip()[:24]
    digest = (request.GET.get("digest") or "").strip()[:100]
    result = reports.verify(serial, digest) if serial else None
    ctx = {"serial": serial, "digest": digest, "result": result}
    if result and result.found:
        data = result.data
        local = timezone.localtime(result.report.issued_at)
        ctx |= {
            "data": data,
            "issued": f"{reports.cn_date(local.date())} {local:%H:%M}",
            "negative": sum(1 for r in data["records"] if r["negative"]),
            "positive": sum(1 for r in data["records"] if not r["negative"]),
        }
    return render(request, "portal/report_verify.html", ctx)


@require_safe
@public_page
def record_detail(request, record_id: str):
    try:
        record = selectors.get_public_record(record_id)
    except NoLongerPublic as gone:
        entries = TransparencyEntry.objects.filter(record_id=gone.record.pk).order_by("sequence")
        return render(
            request,
            "portal/record_gone.html",
            {"record_id": gone.record.pk, "entries": entries, "event_labels": EVENT_LABELS},
            status=410,
        )
    except NotFound:
        return _not_found(request, "未找到该记录。记录编号可能有误，或该记录不属于公开信息。")
    history = TransparencyEntry.objects.filter(record_id=record.pk).order_by("sequence")
    return render(
        request,
        "portal/record.html",
        {"record": record, "history": history, "event_labels": EVENT_LABELS},
    )


def _list_context(request, *, negative: bool):
    filters = selectors.RecordFilters.from_query(request.GET, negative=negative)
    qs = selectors.filtered_records(filters)
    page_obj = _page(request, qs)
    params = filters.as_params()
    return {
        "filters": filters,
        "page_obj": page_obj,
        "query_string": urlencode(params),
        "export_query": urlencode({**params, "type": "negative" if negative else "positive"}),
        "items": selectors.public_items(negative),
        "severities": Severity.choices,
        "kinds": SubjectKind.choices,
        "units": selectors.source_units(),
        "sorts": selectors.SORT_LABELS.items(),
        "filtered": bool(params.keys() - {"sort"}),
    }


@require_safe
@public_page
def record_list(request):
    return render(request, "portal/record_list.html", _list_context(request, negative=True))


@require_safe
@public_page
def honours(request):
    return render(request, "portal/honours.html", _list_context(request, negative=False))


def _export_filters(request) -> selectors.RecordFilters:
    kind = request.GET.get("type", "all")
    negative = {"negative": True, "positive": False}.get(kind)
    return selectors.RecordFilters.from_query(request.GET, negative=negative)


@require_safe
def export_csv(request):
    filters = _export_filters(request)
    records = selectors.filtered_records(filters).iterator(chunk_size=2000)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        exports.csv_stream(records, _base_url(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="xinyong-zhoucun-{stamp}.csv"'
    return response


@require_safe
def export_json(request):
    filters = _export_filters(request)
    records = selectors.filtered_records(filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        exports.json_stream(records, _base_url(request), utc_iso(timezone.now())),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="xinyong-zhoucun-{stamp}.json"'
    return response


@require_safe
def feed(request):
    body = exports.atom_feed(selectors.feed_items(), base_url=_base_url(request))
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@require_safe
def open_data(request):
    return render(
        request,
        "portal/open_data.html",
        {"base_url": _base_url(request), "items": selectors.public_items(None)},
    )


@require_safe
@public_page
def ledger(request):
    seq, head_hash = transparency_head()
    per_page = 50
    paginator = Paginator(TransparencyEntry.objects.order_by("-sequence"), per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    jump = request.GET.get("seq", "").strip()
    if jump.isdigit() and 1 <= int(jump) <= seq and "page" not in request.GET:
        page_obj = paginator.get_page((seq - int(jump)) // per_page + 1)
    return render(
        request,
        "portal/ledger.html",
        {
            "head_sequence": seq,
            "head_hash": head_hash,
            "genesis": GENESIS,
            "page_obj": page_obj,
            "event_labels": EVENT_LABELS,
            "base_url": _base_url(request),
            "highlight": int(jump) if jump.isdigit() else None,
        },
    )


def ledger_json_lines(head: tuple[int, str]):
    seq, head_hash = head
    yield '{"head": ' + json.dumps({"sequence": seq, "hash": head_hash}) + ', "entries": [\n'
    first = True
    for entry in TransparencyEntry.objects.filter(sequence__lte=seq).order_by("sequence").iterator(2000):
        row = {
            "sequence": entry.sequence,
            "hash": entry.hash,
            "prev_hash": entry.prev_hash,
            "event": entry.event,
            "record_id": entry.record_id,
            "at": utc_iso(entry.at),
        }
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"


VERIFY_SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_ledger.py"


@require_safe
def verify_script(request):
    """The citizen's verification script, served as plain text so it can be read before it is run."""
    if not VERIFY_SCRIPT.is_file():
        return _not_found(
            request, "本部署未附带核验脚本，请从本系统公开的源代码中获取 tools/verify_ledger.py。"
        )
    response = HttpResponse(VERIFY_SCRIPT.read_bytes(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="verify_ledger.py"'
    return response


@require_safe
def ledger_download(request):
    response = StreamingHttpResponse(
        ledger_json_lines(transparency_head()), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="transparency-log.json"'
    return response


@require_safe
@public_page
def notices(request):
    """通报批评 published by the credit office (policy （九）), while their record is public."""
    from govcredit.sanctions.services import published_notices

    page_obj = _page(request, published_notices().order_by("-published_at", "-pk"))
    return render(request, "portal/notices.html", {"page_obj": page_obj, "query_string": ""})

"""信用周村 承诺公示: every published commitment with baseline, target (an old target struck through after a
lawful change, with its reason and approving document), progress bar, report timeline, next report due,
overdue flag and public evidence (WAVE2 §1(e))."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from govcredit.portal.cache import public_page

from . import services
from .models import SERVICE_AREAS, Kind, ProgressReport


def _card(c, today):
    return {
        "c": c,
        "target": services.target_text(services.target_of(c)),
        "baseline": services._num(c.baseline),
        "progress": services.progress_percent(c),
        "overdue": services.is_overdue(c, today),
        "next_due": services.next_report_due(c),
        "old_targets": [services.target_text(ch.old_target) for ch in c.changes.order_by("version")],
    }


@require_safe
@public_page
def public_list(request):
    today = timezone.localdate()
    qs = services.public_commitments().select_related("subject", "unit").order_by("-published_at", "pk")
    subject_q = (request.GET.get("subject") or "").strip()[:60]
    kind = request.GET.get("kind") or ""
    area = request.GET.get("area") or ""
    missing = False
    if subject_q:
        subject = services.resolve_subject(subject_q)
        if subject is None:
            qs, missing = qs.none(), True
        else:
            qs = qs.filter(subject=subject)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if area in SERVICE_AREAS:
        qs = qs.filter(services.area_filter(area))
    page_obj = Paginator(qs, 20).get_page(request.GET.get("page"))
    params = [(k, v) for k, v in (("subject", subject_q), ("kind", kind), ("area", area)) if v]
    from urllib.parse import urlencode

    return render(
        request,
        "commitments/portal_list.html",
        {
            "page_obj": page_obj,
            "cards": [_card(c, today) for c in page_obj.object_list],
            "subject_q": subject_q,
            "kind": kind,
            "area": area,
            "kinds": Kind.choices,
            "areas": SERVICE_AREAS,
            "missing": missing,
            "query_string": urlencode(params),
            "filtered": bool(params),
        },
    )


@require_safe
@public_page
def public_detail(request, code: str):
    c = services.public_commitments().select_related("subject", "unit").filter(code=code[:30]).first()
    if c is None:
        raise Http404("承诺不存在或未公示")
    today = timezone.localdate()
    reports = c.reports.exclude(state=ProgressReport.State.RETURNED).order_by("submitted_on", "pk")
    changes = [
        (ch, services.target_text(ch.old_target), services.target_text(ch.new_target))
        for ch in c.changes.order_by("version")
    ]
    assessment = getattr(c, "assessment", None) if hasattr(c, "assessment") else None
    return render(
        request,
        "commitments/portal_detail.html",
        {**_card(c, today), "reports": reports, "changes": changes, "assessment": assessment},
    )


@require_safe
def public_evidence(request, code: str, report_id: int):
    report = (
        ProgressReport.objects.filter(
            pk=report_id,
            commitment__code=code[:30],
            commitment__in=services.public_commitments(),
            evidence_public=True,
        )
        .exclude(state=ProgressReport.State.RETURNED)
        .exclude(evidence_file="")
        .first()
    )
    if report is None:
        raise Http404("佐证材料不存在或不公开")
    return FileResponse(report.evidence_file.open("rb"), filename=report.evidence_name or "evidence")

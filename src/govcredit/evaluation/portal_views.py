"""Public 政务诚信评价 on 信用周村: ranking by group, methodology, a unit's page (every point with
its public inputs, radar chart, year on year, and third-party ratings shown beside, never mixed in)."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from govcredit.portal.cache import public_page
from govcredit.subjects.models import Subject

from . import services
from .beside import ratings_beside
from .models import Group, RunStatus


def _year(request, years):
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


@require_safe
@public_page
def ranking(request):
    years = services.public_years()
    year = _year(request, years)
    run = services.public_run(year) if year else None
    groups = []
    if run:
        results = run.results.select_related("unit").order_by("rank", "unit__name")
        for value, label in Group.choices:
            groups.append((label, [r for r in results if r.group == value]))
    return render(
        request,
        "evaluation/portal_ranking.html",
        {
            "run": run,
            "years": years,
            "year": year,
            "groups": groups,
            "final": run and run.status == RunStatus.FINAL,
        },
    )


@require_safe
@public_page
def methodology(request):
    years = services.public_years()
    year = _year(request, years)
    run = services.public_run(year) if year else None
    snapshot = run.set_snapshot if run else None
    if snapshot is None:
        active = services.active_set()
        if active is not None:
            from .engine import snapshot_set

            snapshot = snapshot_set(active)
    methods = services.registry()
    rows = []
    for i in (snapshot or {}).get("indicators", []):
        m = methods.get(i["method"])
        rows.append({**i, "method_label": m.label if m else "", "method_text": m.description if m else ""})
    return render(
        request,
        "evaluation/portal_methodology.html",
        {
            "run": run,
            "snapshot": snapshot,
            "rows": rows,
            "years": years,
            "year": year,
            "methodology": run.indicator_set.methodology if run else "",
        },
    )


@require_safe
@public_page
def unit_page(request, public_id: str):
    unit = Subject.objects.filter(public_id=public_id).first()
    if unit is None:
        raise Http404("单位不存在")
    years = services.public_years()
    year = _year(request, years)
    run = services.public_run(year) if year else None
    result = run.results.filter(unit=unit).first() if run else None
    if result is None:
        raise Http404("该单位没有公开的评价结果")
    specs = {i["code"]: i for i in run.set_snapshot["indicators"]}
    lines = [
        (line, specs[line.indicator_code], services.public_explanation(line))
        for line in result.lines.order_by("pk")
    ]
    # radar: first-level indicators, share of points obtained
    firsts = [i for i in run.set_snapshot["indicators"] if i["level"] == 1]
    parent_of = {i["code"]: i["parent"] for i in run.set_snapshot["indicators"]}

    def top(code):
        while parent_of.get(code):
            code = parent_of[code]
        return code

    got: dict[str, Decimal] = {}
    full: dict[str, Decimal] = {}
    for line, spec, _e in lines:
        t = top(line.indicator_code)
        got[t] = got.get(t, Decimal(0)) + line.points
        full[t] = full.get(t, Decimal(0)) + Decimal(spec["points"])
    radar_codes = [f["code"] for f in firsts if full.get(f["code"])]
    radar = {
        "labels": [f["name"] for f in firsts if f["code"] in radar_codes],
        "values": [float(round(got[c] / full[c] * 100, 1)) for c in radar_codes],
    }
    history = []
    for y in sorted(years):
        r = services.public_run(y)
        other = r.results.filter(unit=unit).first() if r else None
        if other:
            history.append(
                {"year": y, "total": str(other.total), "grade": other.grade_label, "rank": other.rank}
            )
    radar_rows = list(zip(radar["labels"], radar["values"], strict=True))
    return render(
        request,
        "evaluation/portal_unit.html",
        {
            "unit": unit,
            "run": run,
            "result": result,
            "lines": lines,
            "radar": radar,
            "radar_rows": radar_rows,
            "history": history,
            "beside": ratings_beside([unit.pk], run.year),
            "years": years,
            "year": year,
        },
    )

"""Public debt disclosure (政府债务信息公开): the three official tables, bonds and indicators of the
current published version of a year, with CSV / XLSX downloads of each table. Charts: the year's
limit and balance as CSS bars, the trend over the published years with the vendored Chart.js; the
tables stay for export and for readers without JavaScript."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from govcredit.core.spreadsheets import formula_safe
from govcredit.portal.cache import public_page

from . import services

MONEY = re.compile(r"^\d+\.\d{2}$")


def _show(cell):
    """Money cells (two decimals) with thousands separators on screen; downloads keep plain numbers."""
    return f"{Decimal(cell):,.2f}" if isinstance(cell, str) and MONEY.match(cell) else cell


def _schedule(lines: list[dict]):
    items = format_html_join(
        "",
        "<li>{}：本金 {} 元，利息 {} 元</li>",
        ((s["due_on"], _show(s["principal"]), _show(s["interest"])) for s in lines),
    )
    return format_html(
        '<details><summary>共{}期</summary><ul class="schedule">{}</ul></details>', len(lines), items
    )


def _bar(value: str, top: Decimal) -> int:
    return int(Decimal(value) * 100 / top) if top else 0


@require_safe
@public_page
def debt_home(request):
    years = services.published_years()
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = 0
    disclosure = services.current_disclosure(year) if year else None
    trend = services.public_trend()
    trend_rows = [
        (
            label,
            f"{trend['limit'][i]:,.2f}",
            f"{trend['balance'][i]:,.2f}",
            ["—" if values[i] is None else f"{values[i]:,.2f}" for values in trend["indicators"].values()],
        )
        for i, label in enumerate(trend["labels"])
    ]
    context = {
        "years": years,
        "year": year,
        "disclosure": disclosure,
        "trend": trend,
        "trend_rows": trend_rows,
    }
    if disclosure is not None:
        p = disclosure.payload
        top = max(Decimal(p["limits"]["total"]), Decimal(p["balances"]["total"]), Decimal("1"))
        context["p"] = p
        context["bars"] = [
            (
                label,
                _show(p["limits"][key]),
                _show(p["balances"][key]),
                _bar(p["limits"][key], top),
                _bar(p["balances"][key], top),
            )
            for key, label in (("general", "一般债务"), ("special", "专项债务"), ("total", "合计"))
        ]
        tables = {}
        for key, title in services.TABLES.items():
            headers, rows = services.table_rows(p, key)
            shown = [[_show(c) for c in row] for row in rows]
            if key == "bonds":  # the schedule as a folded list of periods, not one long run of text
                at = headers.index("还本付息计划")
                for row, bond in zip(shown, p["bonds"], strict=True):
                    row[at] = _schedule(bond["schedule"])
            tables[key] = (title, headers, shown)
        context["tables"] = tables
    return render(request, "debt/portal_debt.html", context)


@require_safe
def download(request, year: int, table: str, fmt: str):
    disclosure = services.current_disclosure(year)
    if disclosure is None or table not in services.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404("该年度债务信息尚未公开")
    headers, rows = services.table_rows(disclosure.payload, table)
    title = f"周村区{year}年{services.TABLES[table]}"
    if fmt == "xlsx":
        from govcredit.core.spreadsheets import xlsx_response

        return xlsx_response(title, services.TABLES[table], headers, rows)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([formula_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"debt-{year}-{table}.csv\"; filename*=UTF-8''{quote(title)}.csv"
    )
    return response

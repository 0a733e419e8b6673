"""core.charts: the data behind every chart and its text alternative."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from govcredit.core.charts import Chart, Series, last_months, percent, top_with_rest


def chart(**kw):
    base = {
        "key": "k",
        "title": "信用记录 · 按月",
        "labels": ["2026-11", "2026-12"],
        "series": [Series("记录数", [1200, 3]), Series("按期率（%）", [50.0, None], "line", "percent")],
        "first": "月份",
    }
    return Chart(**(base | kw))


def test_series_must_fit_the_labels_and_kinds_are_checked():
    with pytest.raises(ValueError):
        chart(series=[Series("记录数", [1])])
    with pytest.raises(ValueError):
        Series("x", [1], kind="pie")


def test_alt_spells_out_the_figures():
    assert (
        chart().alt
        == "信用记录 · 按月。2026-11：记录数1,200，按期率（%）50.0；2026-12：记录数3，按期率（%）—"
    )
    assert chart(summary="一句话").alt == "一句话"


def test_months_percent_and_top():
    assert last_months(dt.date(2026, 2, 10), 3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert percent(1, 3) == 33.3 and percent(0, 0) is None
    pairs = [(f"单位{i}", i) for i in range(1, 13)]
    top = top_with_rest(pairs, 10)
    assert len(top) == 11 and top[0] == ("单位12", 12) and top[-1] == ("其他", 3)


def test_the_include_renders_canvas_alternative_and_table():
    html = render_to_string("core/_chart.html", {"chart": chart()})
    assert 'role="img"' in html and 'aria-label="信用记录 · 按月。2026-11：记录数1,200' in html
    assert 'id="chart-k-data"' in html and 'data-chart="chart-k-data"' in html
    assert '<th scope="row">2026-11</th><td class="num">1,200</td>' in html
    empty = render_to_string("core/_chart.html", {"chart": chart(series=[Series("记录数", [0, 0])])})
    assert "暂无数据" in empty and "<canvas" not in empty

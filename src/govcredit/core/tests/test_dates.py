"""Issue 13, point 10: one date format on screen and every time labelled 北京时间."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from govcredit.core.workdays import format_cn_date

MOMENT = dt.datetime(2026, 12, 3, 6, 5, 9, tzinfo=dt.UTC)  # 14:05:09 in Beijing


def render(text, **context):
    return Template(text).render(Context(context))


def test_a_time_is_shown_in_beijing_time_and_says_so():
    html = render("{{ t|beijing }}", t=MOMENT)
    assert (
        html == '<time datetime="2026-12-03T14:05:09+08:00" title="北京时间（UTC+8）">2026-12-03 14:05</time>'
    )


def test_seconds_on_request_and_empty_values():
    assert ">2026-12-03 14:05:09<" in render('{{ t|beijing:"s" }}', t=MOMENT)
    assert render('{{ t|beijing|default:"—" }}', t=None) == "—"
    assert render("{{ d|beijing }}", d=dt.date(2026, 1, 2)) == "2026-01-02"


def test_unformatted_dates_and_times_use_the_one_format():
    with timezone.override("Asia/Shanghai"):
        assert render("{{ d }}", d=dt.date(2026, 12, 3)) == "2026-12-03"
        assert render("{{ t }}", t=MOMENT) == "2026-12-03 14:05"
        assert render("{{ t|date }}", t=MOMENT) == "2026-12-03"


def test_dates_inside_sentences_use_it_too():
    assert format_cn_date(dt.date(2026, 10, 1)) == "2026-10-01"
    assert format_cn_date(dt.date(2026, 10, 1), with_year=False) == "10-01"


def test_no_screen_template_uses_another_date_format():
    """Formal PDF documents (*_pdf.html) may date their 落款 the 公文 way (GB/T 9704)."""
    from pathlib import Path

    import govcredit

    root = Path(govcredit.__file__).parent
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        if path.name.endswith("_pdf.html"):
            continue
        text = path.read_text(encoding="utf-8")
        for bad in ('date:"Y年', 'date:"Y-m-d H:i', 'date:"m-d'):
            if bad in text:
                offenders.append(f"{path.relative_to(root)}: {bad}")
    assert offenders == []

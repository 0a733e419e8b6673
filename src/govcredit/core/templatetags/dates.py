"""Times on screen (a builtin library, see settings.TEMPLATES): one format and one label.

``{{ moment|beijing }}`` → ``<time datetime="2026-12-03T14:05:00+08:00" title="北京时间（UTC+8）">
2026-12-03 14:05</time>``; ``{{ moment|beijing:"s" }}`` adds seconds. Every time the platform
shows is Asia/Shanghai; the title says so where the time is, and the page footers say it once
for the page. A date (not a datetime) is shown as ``2026-12-03`` without a label; ``None`` as "".
"""

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

LABEL = "北京时间（UTC+8）"


@register.filter
def beijing(value: Any, arg: str = "") -> SafeString | str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        shown = local.strftime("%Y-%m-%d %H:%M:%S" if arg == "s" else "%Y-%m-%d %H:%M")
        return format_html(
            '<time datetime="{}" title="{}">{}</time>', local.isoformat(timespec="seconds"), LABEL, shown
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)

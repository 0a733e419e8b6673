"""The platform's one date format (issue 13, point 10): ``2026-12-03`` and ``2026-12-03 14:05``
wherever a template prints a date or time without a format of its own (Django's zh-Hans default
would be ``2026年12月3日``). Times are Asia/Shanghai (settings.TIME_ZONE); templates print them
with the ``beijing`` filter (``core/templatetags/dates.py``), which labels them 北京时间.

Exception: formal documents printed as PDF (通报、告知书) date their 落款 the 公文 way,
``2026年12月3日`` (GB/T 9704-2012 7.3.5.1).
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"

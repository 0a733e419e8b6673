from decimal import Decimal

import pytest
from django.template import Context, Template

from govcredit.core.templatetags.numbers import thousands


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1234567, "1,234,567"),
        (0, "0"),
        (1234.5, "1,234.5"),
        (Decimal("12345.60"), "12,345.60"),
        ("25001", "25,001"),
        ("—", "—"),
        (None, ""),
    ],
)
def test_thousands(value, shown):
    assert thousands(value) == shown


def test_thousands_needs_no_load_tag():
    assert Template("{{ n|thousands }}").render(Context({"n": 25001})) == "25,001"


@pytest.mark.parametrize(("value", "shown"), [(True, "True"), ("0042", "0042"), ("YY-1", "YY-1")])
def test_thousands_leaves_codes_and_flags_alone(value, shown):
    assert thousands(value) == shown


def test_thousands_of_a_date_prints_the_one_date_format():
    import datetime as dt

    assert Template("{{ d|thousands }}").render(Context({"d": dt.date(2026, 12, 3)})) == "2026-12-03"

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

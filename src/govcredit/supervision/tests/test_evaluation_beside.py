"""The hook govcredit.evaluation calls: published third-party ratings only, of the asked units/year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govcredit.supervision.evaluation_beside import beside
from govcredit.supervision.models import ThirdPartyRating

pytestmark = pytest.mark.django_db


def test_beside_returns_published_ratings_of_the_units_and_year(personas):
    agency, unit, other = personas.unit("区发改局"), personas.unit("区住建局"), personas.unit("区商务局")
    ThirdPartyRating.objects.create(
        agency=agency,
        unit=unit,
        year=2026,
        grade="A",
        score=Decimal("91.5"),
        method_url="/m.pdf",
        published_on=dt.date(2026, 3, 1),
    )
    ThirdPartyRating.objects.create(agency=agency, unit=other, year=2026, grade="B")  # not published
    ThirdPartyRating.objects.create(
        agency=agency, unit=unit, year=2025, grade="B", published_on=dt.date(2025, 3, 1)
    )
    got = beside([unit.pk, other.pk], 2026)
    assert got == [
        {
            "unit_id": unit.pk,
            "agency": agency.short_name,
            "grade": "A",
            "score": Decimal("91.50"),
            "method_url": "/m.pdf",
            "published_on": dt.date(2026, 3, 1),
        }
    ]
    assert beside([], 2026) == []
    assert beside([other.pk], 2026) == []

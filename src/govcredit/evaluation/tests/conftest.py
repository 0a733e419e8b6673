import datetime as dt

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf():
    return PDF


@pytest.fixture
def event():
    """Append an integrity event about a unit (by short name)."""
    from govcredit.accounts.models import Organisation
    from govcredit.duties.services import record_event

    def add(short, indicator, polarity, day=dt.date(2026, 3, 1), key="", dimension="守信践诺"):
        org = Organisation.objects.get(short_name=short)
        return record_event(
            subject=org.subject,
            dimension=dimension,
            indicator=indicator,
            polarity=polarity,
            value=1,
            occurred_on=day,
            module="test",
            obj=org,
            key=key or f"{indicator[:20]}{day:%m%d}{polarity}",
        )

    return add

import datetime as dt

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tracked(reference):
    """Reports are owed from 2026H1 on (whatever today is), so 2026H1's report is overdue."""
    from govcredit.keytasks.models import ReportingRule

    ReportingRule.objects.filter(key="default").update(tracking_from=dt.date(2026, 1, 1))


@pytest.fixture
def pdf():
    return PDF


@pytest.fixture
def report_data():
    def build(**overrides):
        data = {"period": "2026H1", "progress": "on_track", "summary": "已开展专项清理，形成工作台账。"}
        data.update(overrides)
        return data

    return build

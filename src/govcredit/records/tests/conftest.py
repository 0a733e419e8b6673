"""Records screens fixtures: a small world of records across every scope, built through services."""

from __future__ import annotations

import datetime as dt

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def third_party(personas):
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user

    return create_user(
        "thirdparty",
        "pw-thirdparty-123",
        display_name="评估机构",
        memberships=[(personas.unit("区财政局"), Role.THIRD_PARTY)],
    )


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def world(personas, record_data, publish):
    """Records in every scope:

    court_dept   区法院 about 周村区发展和改革局, published (dept sees it; hr does not)
    court_fin    区法院 about 周村区财政局, published, disclosure public
    court_draft  区法院 about 周村区财政局, draft
    hr_person    区人社局 about a civil servant of 区发改局, submitted (dept sees it)
    hr_other     区人社局 about a civil servant of 区财政局, draft (dept does not see it)
    """
    from govcredit.core.codes import make_id_number
    from govcredit.records import services
    from govcredit.subjects.models import Subject

    dept = Subject.objects.get(name="周村区发展和改革局")
    fin = Subject.objects.get(name="周村区财政局")
    court = personas.access(personas.court)
    hr = personas.access(personas.hr)

    court_dept = publish(document_no="周法民〔2026〕1号")
    court_fin = publish(
        document_no="周法民〔2026〕2号", subject_name=fin.name, uscc=fin.uscc, facts="财政局拖欠工程款。"
    )
    court_draft, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕3号", subject_name=fin.name, uscc=fin.uscc),
        source_unit=personas.unit("区法院"),
        access=court,
    )

    def person_row(name, unit, seq, doc):
        return {
            "subject_name": name,
            "subject_kind": "公务员",
            "id_number": make_id_number("370306", dt.date(1980, 5, 6), seq),
            "unit_uscc": unit.uscc,
            "item": "disciplinary_sanction",
            "severity": "较重",
            "document_no": doc,
            "decided_on": dt.date(2026, 5, 1),
            "decided_by": "周村区人力资源和社会保障局",
            "facts": "违反工作纪律。",
        }

    hr_person, _, _ = services.upsert_record(
        person_row("王小明", dept, 11, "周人社〔2026〕1号"),
        source_unit=personas.unit("区人社局"),
        access=hr,
        submit=True,
    )
    hr_other, _, _ = services.upsert_record(
        person_row("李大海", fin, 13, "周人社〔2026〕2号"),
        source_unit=personas.unit("区人社局"),
        access=hr,
    )

    class W:
        pass

    w = W()
    w.court_dept, w.court_fin, w.court_draft, w.hr_person, w.hr_other = (
        court_dept,
        court_fin,
        court_draft,
        hr_person,
        hr_other,
    )
    w.all = [court_dept, court_fin, court_draft, hr_person, hr_other]
    return w

import datetime as dt

import pytest


@pytest.fixture
def civil_servant_record(make_person_record):
    """A published (public) accountability record about civil servant 张三明 of 区发改局."""
    return make_person_record()


@pytest.fixture
def make_person_record(personas, record_data):
    """Publish a record about a civil servant of 区发改局 through the services (submitted by 区人社局)."""

    def make(name="张三明", seq=17, item="accountability", document_no="周人社处〔2026〕3号"):
        return _make(personas, record_data, name, seq, item, document_no)

    return make


def _make(personas, record_data, name, seq, item, document_no):
    from govcredit.core.codes import make_id_number
    from govcredit.records import services
    from govcredit.subjects.models import Subject

    unit = Subject.objects.get(name="周村区发展和改革局")
    id_number = make_id_number("370306", dt.date(1980, 5, 4), seq)
    data = record_data(
        subject_name=name,
        subject_kind="公务员",
        uscc="",
        id_number=id_number,
        unit_uscc=unit.uscc,
        item=item,
        document_no=document_no,
        decided_by="周村区人力资源和社会保障局",
        facts="违反工作纪律，给予警告处分。",
    )
    record, _, _ = services.upsert_record(
        data, source_unit=personas.unit("区人社局"), access=personas.access(personas.hr), submit=True
    )
    record = services.approve_record(record, access=personas.access(personas.reviewer))
    record.id_number = id_number
    return record

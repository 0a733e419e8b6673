import datetime as dt
import io

import pytest


@pytest.fixture
def hr_access(personas):
    return personas.access(personas.hr)


@pytest.fixture
def servant(reference):
    """A civil servant of 区发改局 with the plain ID number kept for the test only."""
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import Subject, SubjectKind
    from govcredit.subjects.services import SubjectData, add_tenure, create_subject

    unit = Subject.objects.get(name="周村区发展和改革局")

    def make(name="李文华", serial=321, born=dt.date(1985, 3, 9)):
        id_number = make_id_number("370306", born, serial)
        person = create_subject(
            SubjectData(kind=SubjectKind.CIVIL_SERVANT, name=name, id_number=id_number, parent=unit)
        )
        add_tenure(person, unit, position="科员", start=dt.date(2015, 7, 1))
        person.plain_id = id_number
        return person

    return make


@pytest.fixture
def discipline(personas):
    """Publish a 纪律处分 (reported by 区人社局, approved by a reviewer) about a civil servant."""
    from govcredit.records import services

    def do(person, *, decided_on, outcome="给予记过处分", document_no="周人社处〔2026〕3号"):
        data = {
            "subject_name": person.name,
            "subject_kind": "公务员",
            "uscc": "",
            "id_number": person.plain_id,
            "unit_uscc": person.parent.uscc,
            "item": "disciplinary_sanction",
            "severity": "一般",
            "document_no": document_no,
            "decided_on": decided_on,
            "decided_by": "周村区人力资源和社会保障局",
            "facts": "违反工作纪律。",
            "outcome": outcome,
        }
        record, _, _ = services.upsert_record(
            data, source_unit=personas.unit("区人社局"), access=personas.access(personas.hr), submit=True
        )
        return services.approve_record(record, access=personas.access(personas.reviewer))

    return do


@pytest.fixture
def xlsx():
    def build(header: list, rows: list[list]) -> bytes:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    return build

import datetime as dt

import pytest


@pytest.fixture
def office_access(personas):
    return personas.access(personas.office)


@pytest.fixture
def dept_subject(reference):
    from govcredit.subjects.models import Subject

    return Subject.objects.get(name="周村区发展和改革局")


@pytest.fixture
def recent(publish):
    """Publish a record decided recently (so its display window is open)."""
    from django.utils import timezone

    def do(**overrides):
        overrides.setdefault("decided_on", timezone.localdate() - dt.timedelta(days=10))
        return publish(**overrides)

    return do


@pytest.fixture
def civil_servant(reference, dept_subject):
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject

    id_number = make_id_number("370306", dt.date(1980, 5, 17), 123)
    person = create_subject(
        SubjectData(kind=SubjectKind.CIVIL_SERVANT, name="张三明", id_number=id_number, parent=dept_subject)
    )
    person.plain_id = id_number
    return person


@pytest.fixture
def publish_positive(personas, record_data):
    """A 守信典型 record submitted by the credit office (区发改局) and approved by a reviewer."""
    from django.utils import timezone

    from govcredit.records import services

    def do(**overrides):
        overrides.setdefault("item", "trust_model")
        overrides.setdefault("document_no", "周发改〔2026〕9号")
        overrides.setdefault("decided_by", "周村区发展和改革局")
        overrides.setdefault("decided_on", timezone.localdate() - dt.timedelta(days=5))
        record, _, _ = services.upsert_record(
            record_data(**overrides),
            source_unit=personas.unit("区发改局"),
            access=personas.access(personas.office),
            submit=True,
        )
        return services.approve_record(record, access=personas.access(personas.reviewer))

    return do

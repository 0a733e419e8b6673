"""``services.save_record``: the back-office form's one write (record + evidence + submission)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.records import services
from govcredit.records.models import CreditRecord, Evidence, Status

from .conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def test_saves_record_evidence_and_submission_together(personas, record_data):
    court = personas.unit("区法院")
    record, created = services.save_record(
        record_data(),
        source_unit=court,
        access=personas.access(personas.court),
        files=[("判决书.pdf", PDF), ("现场.png", PNG)],
        submit=True,
    )
    assert created and record.status == Status.SUBMITTED
    evidence = list(record.evidence.order_by("original_name"))
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("判决书.pdf", "application/pdf"),
        ("现场.png", "image/png"),
    ]
    assert all(default_storage.exists(e.file.name) and e.uploaded_by == personas.court for e in evidence)


def test_a_failure_after_the_files_were_written_leaves_nothing(personas, record_data, monkeypatch):
    written = []
    add_evidence = services.add_evidence

    def spy(*args, **kwargs):
        evidence = add_evidence(*args, **kwargs)
        written.append(evidence.file.name)
        return evidence

    def refuse(record, *, access):
        raise Conflict("模拟：提交审核失败")

    monkeypatch.setattr(services, "add_evidence", spy)
    monkeypatch.setattr(services, "submit_record", refuse)
    with pytest.raises(Conflict):
        services.save_record(
            record_data(),
            source_unit=personas.unit("区法院"),
            access=personas.access(personas.court),
            files=[("判决书.pdf", PDF)],
            submit=True,
        )
    assert written and not any(default_storage.exists(name) for name in written)
    assert not CreditRecord.objects.exists() and not Evidence.objects.exists()


def test_a_bad_file_is_refused_before_anything_is_saved(personas, record_data):
    with pytest.raises(ValidationFailed) as exc:
        services.save_record(
            record_data(),
            source_unit=personas.unit("区法院"),
            access=personas.access(personas.court),
            files=[("判决书.pdf", PDF), ("说明.txt", b"hello")],
        )
    assert "类型不支持" in exc.value.field_errors["evidence"][0]
    assert not CreditRecord.objects.exists()

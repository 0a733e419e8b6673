import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from govcredit.duties.models import AppendOnlyError, IntegrityEvent
from govcredit.duties.services import record_event
from govcredit.subjects.models import Subject


@pytest.fixture
def event(reference):
    subject = Subject.objects.get(name="周村区发展和改革局")
    return record_event(
        subject=subject,
        dimension="守信践诺",
        indicator="commitment_on_time",
        polarity="+",
        value=1,
        occurred_on=dt.date(2026, 6, 30),
        module="commitments",
        obj=subject,
    )


def test_record_event_is_idempotent_and_never_updates(event):
    again = record_event(
        subject=event.subject,
        dimension="守信践诺",
        indicator="commitment_on_time",
        polarity="-",
        value=5,
        occurred_on=dt.date(2026, 7, 1),
        module="commitments",
        obj=event.subject,
    )
    assert again.pk == event.pk and again.value == Decimal("1") and again.polarity == "+"
    assert IntegrityEvent.objects.count() == 1
    other = record_event(
        subject=event.subject,
        dimension="守信践诺",
        indicator="commitment_on_time",
        polarity="+",
        value="0.5",
        occurred_on=dt.date(2026, 7, 1),
        module="commitments",
        obj=event.subject,
        key="2026H2",
    )
    assert other.pk != event.pk and other.value == Decimal("0.5")


def test_no_update_or_delete_path(event):
    event.value = 9
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        IntegrityEvent.objects.filter(pk=event.pk).update(value=9)
    with pytest.raises(AppendOnlyError):
        IntegrityEvent.objects.all().delete()
    assert IntegrityEvent.objects.get(pk=event.pk).value == Decimal("1")


def test_the_database_refuses_an_update_too(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE duties_integrityevent SET value = 9 WHERE id = %s", [event.pk])
    assert IntegrityEvent.objects.get(pk=event.pk).value == Decimal("1")


def test_bad_polarity(event):
    with pytest.raises(ValueError):
        record_event(
            subject=event.subject,
            dimension="守信践诺",
            indicator="x",
            polarity="±",
            value=1,
            occurred_on=dt.date(2026, 1, 1),
            module="m",
            obj=event.subject,
        )

"""POST /api/v1/records and /batch are harmless to re-send, whatever the record's status (issue 19.2)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from govcredit.records.models import EDITABLE_STATUSES
from govcredit.records.tests.states import ALL_STATUSES, bring_to, fingerprint

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/records"


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_single_post_of_identical_content_is_200_same_id_and_changes_nothing(
    personas, api, record_data, api_record, status
):
    record = bring_to(status, personas, record_data())
    court = api(personas.court)
    before = fingerprint()
    for submit in (False, True):
        response = court.post(RECORDS, {**api_record(), "submit": submit})
        assert response.status_code == 200, response.content
        assert response.json() == {"id": record.pk, "status": status}
        assert fingerprint() == before


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_single_post_of_changed_content(personas, api, record_data, api_record, status):
    record = bring_to(status, personas, record_data())
    court = api(personas.court)  # (creating a token is audited)
    before = fingerprint()
    response = court.post(RECORDS, api_record(facts="改过的事实。"))
    if status in EDITABLE_STATUSES:
        assert response.status_code == 200 and response.json()["id"] == record.pk
    else:
        assert response.status_code == 409
        assert "不能直接修改" in response.json()["detail"]
        assert fingerprint() == before


def test_the_whole_batch_resent_changes_nothing_whatever_the_statuses(personas, api, record_data, api_record):
    batch = []
    ids = []
    for n, status in enumerate(ALL_STATUSES, start=1):
        document_no = f"周法民〔2026〕{n}号"
        ids.append(bring_to(status, personas, record_data(document_no=document_no)).pk)
        batch.append(api_record(document_no=document_no))
    court = api(personas.court)
    before = fingerprint()
    for submit in (True, False):
        response = court.post(f"{RECORDS}/batch", {"records": batch, "submit": submit})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["rejected"] == 0 and body["accepted"] == len(ALL_STATUSES)
        assert [r["id"] for r in body["results"]] == ids
        assert [r["outcome"] for r in body["results"]] == ["unchanged"] * len(ALL_STATUSES)
        assert [r["record_status"] for r in body["results"]] == ALL_STATUSES
        assert fingerprint() == before


def test_a_new_batch_sent_twice_creates_once(personas, api, api_record):
    court = api(personas.court)
    batch = {"records": [api_record(document_no=f"周法民〔2026〕{n}号") for n in range(1, 4)]}
    first = court.post(f"{RECORDS}/batch", batch).json()
    assert [r["outcome"] for r in first["results"]] == ["created"] * 3
    before = fingerprint()
    again = court.post(f"{RECORDS}/batch", batch).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    assert fingerprint() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_new_record_sent_twice_at_once_gives_one_record_and_the_same_id(personas, api, api_record):
    """A client retrying while its first request is still running: one 201, one 200, same id."""
    from govcredit.records.models import CreditRecord

    court = api(personas.court)
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            barrier.wait()
            response = court.post(RECORDS, api_record())
            answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert CreditRecord.objects.count() == 1
    record = CreditRecord.objects.get()
    assert sorted(code for code, _ in answers) in ([200, 201], [201, 409])
    assert all(body.get("id", record.pk) == record.pk for _, body in answers)

"""Two reviewers approving the same record at the same moment: exactly one wins (real threads)."""

import threading

import pytest
from django.db import connection, connections

from govcredit.core.errors import Conflict
from govcredit.core.ledger import verify_audit_chain, verify_transparency_chain
from govcredit.records import services
from govcredit.records.models import CreditRecord, Status

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks: PostgreSQL concurrency suite"
)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_exactly_one_wins(personas, record_data):
    court = personas.access(personas.court)
    record, _, _ = services.upsert_record(
        record_data(), source_unit=personas.unit("区法院"), access=court, submit=True
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            from govcredit.accounts.permissions import Access

            mine = CreditRecord.objects.select_related("item", "subject", "source_unit").get(pk=record.pk)
            barrier.wait()
            services.approve_record(mine, access=Access.for_user(user))
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (personas.reviewer, personas.reviewer2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1
    assert any("已被他人处理" in o for o in outcomes if o != "won")
    assert CreditRecord.objects.get(pk=record.pk).status == Status.PUBLISHED
    assert verify_audit_chain().ok and verify_transparency_chain().ok

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from govcredit.core.crypto import sm3_hex
from govcredit.duties.disclosure import disclose, verify_disclosure_chain
from govcredit.duties.models import DisclosureEntry


@pytest.fixture
def chain(db):
    disclose("publish", object_type="commitments.commitment", object_id=1)
    disclose("publish", object_type="commitments.commitment", object_id=2)
    disclose("correct", object_type="commitments.commitment", object_id=1, version=2)
    disclose("withdraw", object_type="commitments.commitment", object_id=2)
    disclose("publish", object_type="keytasks.taskreport", object_id="2026H1-4")


def test_an_intact_chain_verifies(chain):
    report = verify_disclosure_chain()
    assert report.ok and report.count == 5 and report.head_sequence == 5


def test_altered_removed_inserted_and_tail(chain):
    DisclosureEntry.objects.filter(sequence=3).update(version=7)
    assert verify_disclosure_chain().bad_sequence == 3


def test_removed_entry(chain):
    DisclosureEntry.objects.filter(sequence=2).delete()
    assert verify_disclosure_chain().bad_sequence == 2


def test_removed_tail(chain):
    DisclosureEntry.objects.filter(sequence=5).delete()
    assert verify_disclosure_chain().bad_sequence == 5


def test_inserted_entry(chain):
    last = DisclosureEntry.objects.get(sequence=5)
    DisclosureEntry.objects.create(
        sequence=6,
        event="publish",
        object_type="x",
        object_id="1",
        at=last.at,
        prev_hash=last.hash,
        hash="f" * 64,
    )
    assert verify_disclosure_chain().bad_sequence == 6


def test_bad_event_refused(db):
    with pytest.raises(ValueError):
        disclose("delete", object_type="x", object_id=1)  # type: ignore[arg-type]


def test_public_endpoints_and_hash_rule(chain):
    client = Client()
    head = client.get("/api/v1/public/disclosure-ledger/head").json()
    entries = client.get("/api/v1/public/disclosure-ledger", {"after": 0}).json()["entries"]
    assert [e["sequence"] for e in entries] == [1, 2, 3, 4, 5]
    prev = "0" * 64
    for e in entries:
        assert set(e) == {
            "sequence",
            "hash",
            "prev_hash",
            "event",
            "object_type",
            "object_id",
            "version",
            "at",
        }
        assert e["prev_hash"] == prev and e["at"].endswith("Z")
        body = {k: v for k, v in e.items() if k not in ("hash", "prev_hash")}
        j = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert sm3_hex((prev + "\n" + j).encode()) == e["hash"]
        prev = e["hash"]
    assert head == {"sequence": 5, "hash": prev}
    assert entries[2]["event"] == "correct" and entries[2]["version"] == 2 and entries[2]["object_id"] == "1"
    after = client.get("/api/v1/public/disclosure-ledger", {"after": 3}).json()["entries"]
    assert [e["sequence"] for e in after] == [4, 5]
    assert client.get("/api/v1/public/disclosure-ledger", {"after": -1}).status_code == 422
    assert client.get("/api/v1/public/disclosure-ledger", {"after": "x"}).status_code == 422


def test_at_most_100_per_page(db):
    for i in range(105):
        disclose("publish", object_type="t.t", object_id=i)
    entries = Client().get("/api/v1/public/disclosure-ledger").json()["entries"]
    assert len(entries) == 100 and entries[-1]["sequence"] == 100


def test_audit_verify_checks_the_third_chain(chain, capsys):
    call_command("audit", "verify")
    assert "disclosure: intact, 5 entries" in capsys.readouterr().out
    DisclosureEntry.objects.filter(sequence=4).update(event="publish")
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert "disclosure: BROKEN at entry 4" in capsys.readouterr().out

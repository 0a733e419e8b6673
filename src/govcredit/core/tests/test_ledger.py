import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govcredit.core.ledger import log_action, verify_audit_chain, verify_transparency_chain
from govcredit.core.models import AuditEntry, TransparencyEntry


@pytest.fixture
def chain(empty_database):
    """Five entries numbered 1–5 (the defaults' own entries flushed first)."""
    for i in range(5):
        log_action("govcredit.test", object_type="x", object_id=i, summary=f"第{i}条", after={"i": i})


def test_an_intact_chain_verifies(chain):
    report = verify_audit_chain()
    assert report.ok and report.count == 5


def test_an_altered_entry_is_named(chain):
    AuditEntry.objects.filter(sequence=3).update(summary="篡改")
    report = verify_audit_chain()
    assert not report.ok and report.bad_sequence == 3


def test_a_removed_entry_is_named(chain):
    AuditEntry.objects.filter(sequence=2).delete()
    assert verify_audit_chain().bad_sequence == 2


def test_a_removed_tail_is_caught(chain):
    AuditEntry.objects.filter(sequence=5).delete()
    assert verify_audit_chain().bad_sequence == 5


def test_an_inserted_entry_is_caught(chain):
    last = AuditEntry.objects.get(sequence=5)
    AuditEntry.objects.create(sequence=6, at=last.at, action="x", prev_hash=last.hash, hash="f" * 64)
    assert verify_audit_chain().bad_sequence == 6


def test_audit_verify_command_exit_codes(publish, capsys):
    publish()
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    TransparencyEntry.objects.filter(sequence=1).update(record_id=999)
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert "entry 1" in capsys.readouterr().out
    assert not verify_transparency_chain().ok

import importlib.util
import json
from pathlib import Path

import pytest

from govcredit.core.ledger import transparency_head
from govcredit.records import services

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[4] / "tools" / "verify_ledger.py"


def load_script():
    spec = importlib.util.spec_from_file_location("verify_ledger", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def log(publish, personas):
    a = publish(document_no="周法民〔2026〕1号")
    b = publish(document_no="周法民〔2026〕2号")
    services.revoke_record(a, access=personas.access(personas.court), reason="文书有误")
    return a, b


def download(client) -> dict:
    response = client.get("/ledger/transparency-log.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_ledger_page_shows_head_log_and_download(client, log):
    seq, head_hash = transparency_head()
    body = client.get("/ledger/").content.decode()
    assert head_hash in body and "撤下公示" in body
    assert "/ledger/transparency-log.json" in body and "verify_ledger.py" in body
    assert 'id="entry-3"' in body


def test_ledger_page_bad_page_numbers(client, log):
    for page in ("0", "-1", "abc", "999999"):
        assert client.get("/ledger/", {"page": page}).status_code == 200
    assert client.get("/ledger/", {"seq": "abc"}).status_code == 200


def test_download_matches_api(client, log):
    data = download(client)
    seq, head_hash = transparency_head()
    assert data["head"] == {"sequence": seq, "hash": head_hash}
    assert data["entries"] == client.get("/api/v1/public/ledger").json()["entries"]


def test_script_recomputes_head_from_download(client, log, tmp_path, capsys):
    path = tmp_path / "log.json"
    path.write_text(json.dumps(download(client)), encoding="utf-8")
    script = load_script()
    assert script.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert transparency_head()[1] in out and "核验通过" in out


@pytest.mark.parametrize(
    ("tamper", "bad"),
    [
        (lambda e: e.pop(1), "entry 2"),  # an entry dropped
        (lambda e: e[1].update(record_id=e[1]["record_id"] + 1), "entry 2"),  # an entry changed
        (lambda e: e[0].update(event="correct"), "entry 1"),
        (lambda e: e.pop(), None),  # the newest entry dropped: the head no longer matches
    ],
)
def test_script_detects_tampering(client, log, tmp_path, capsys, tamper, bad):
    data = download(client)
    tamper(data["entries"])
    path = tmp_path / "log.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_script().main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "核验未通过" in out
    if bad:
        assert bad in out


def test_script_checks_previous_head(client, log, tmp_path):
    data = download(client)
    first = data["entries"][0]
    path = tmp_path / "log.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    script = load_script()
    assert script.main([str(path), "--previous-head", f"1:{first['hash']}"]) == 0
    assert script.main([str(path), "--previous-head", f"1:{'a' * 64}"]) == 1


def test_script_unreadable_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("not json", encoding="utf-8")
    assert load_script().main([str(path)]) == 2


def test_script_matches_core_hash_rule(log):
    from govcredit.core.ledger import chain_hash, transparency_payload
    from govcredit.core.models import TransparencyEntry

    script = load_script()
    entry = TransparencyEntry.objects.get(sequence=2)
    as_json = {**transparency_payload(entry), "hash": entry.hash, "prev_hash": entry.prev_hash}
    assert script.entry_hash(entry.prev_hash, as_json) == chain_hash(
        entry.prev_hash, transparency_payload(entry)
    )


def test_script_is_served(client):
    response = client.get("/ledger/verify_ledger.py")
    assert response.status_code == 200
    assert b"hashes.SM3()" in response.content

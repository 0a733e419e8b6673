import pytest

from govcredit.records import services
from govcredit.subjects.models import Subject

pytestmark = pytest.mark.django_db

FGJ = "周村区发展和改革局"


def test_subject_search_contract(client, reference):
    response = client.get("/api/v1/public/subjects", {"q": "zcqfgj"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert {"code", "name", "kind"} <= item.keys()
    assert item["name"] == FGJ and item["code"] == Subject.objects.get(name=FGJ).uscc


def test_subject_search_pages(client, reference):
    first = client.get("/api/v1/public/subjects").json()
    assert first["count"] > 20 and len(first["items"]) == 20
    second = client.get("/api/v1/public/subjects", {"page": 2}).json()
    assert {i["code"] for i in first["items"]}.isdisjoint({i["code"] for i in second["items"]})
    past = client.get("/api/v1/public/subjects", {"page": 9999})
    assert past.status_code == 200 and past.json() == {"count": first["count"], "items": []}


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "99999999999999999999999"])
def test_bad_page_is_422(client, reference, page):
    response = client.get("/api/v1/public/subjects", {"page": page})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE x; --", "%_%", "\x00\u200b", "🙂", "ｚｃｑ", "a" * 200, "370306198005040171"]
)
def test_odd_queries_answer_properly(client, reference, q):
    response = client.get("/api/v1/public/subjects", {"q": q})
    assert response.status_code == 200
    assert set(response.json()) == {"count", "items"}


def test_overlong_query_is_422(client, reference):
    response = client.get("/api/v1/public/subjects", {"q": "周" * 201})
    assert response.status_code == 422
    assert "过长" in response.json()["detail"]


def test_people_are_masked_with_opaque_code(client, civil_servant_record):
    items = client.get("/api/v1/public/subjects", {"q": "张三明"}).json()["items"]
    assert items == [
        {
            "code": civil_servant_record.subject.public_id,
            "name": "张*明",
            "kind": "civil_servant",
            "kind_label": "公务员",
        }
    ]
    assert client.get("/api/v1/public/subjects", {"q": civil_servant_record.id_number}).json()["count"] == 0
    response = client.get(f"/api/v1/public/subjects/{civil_servant_record.id_number}")
    assert response.status_code == 404


def test_subject_profile(client, publish, personas):
    record = publish()
    services.open_objection(record, access=None, reason="有异议")
    uscc = record.subject.uscc
    data = client.get(f"/api/v1/public/subjects/{uscc}").json()
    assert data["code"] == uscc and data["name"] == FGJ and data["kind"] == "department"
    assert data["records"] == [
        {
            "id": record.pk,
            "item": "court_judgment",
            "item_name": "司法判决",
            "negative": True,
            "severity": "general",
            "document_no": record.document_no,
            "decided_on": "2026-06-01",
            "publish_until": record.publish_until.isoformat(),
            "under_objection": True,
        }
    ]


@pytest.mark.parametrize("code", ["nope", "91350100M000100Y43", "P0000000000000000", "x" * 100])
def test_unknown_subject_is_404_json(client, reference, code):
    response = client.get(f"/api/v1/public/subjects/{code}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_record_and_withdrawal(client, publish, personas):
    record = publish()
    data = client.get(f"/api/v1/public/records/{record.pk}").json()
    assert (
        data["id"] == record.pk and data["facts"] == record.facts and data["decided_by"] == "周村区人民法院"
    )
    assert data["subject"]["code"] == record.subject.uscc
    services.revoke_record(record, access=personas.access(personas.court), reason="文书有误")
    response = client.get(f"/api/v1/public/records/{record.pk}")
    assert response.status_code == 404
    assert "facts" not in response.json()


@pytest.mark.parametrize("rid", ["abc", "0", "-5", "99999999", "1e3", "99999999999999999999999999"])
def test_bad_record_ids_are_404(client, reference, rid):
    response = client.get(f"/api/v1/public/records/{rid}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_ledger_head_and_entries(client, publish, personas):
    assert client.get("/api/v1/public/ledger/head").json() == {"sequence": 0, "hash": "0" * 64}
    record = publish()
    services.revoke_record(record, access=personas.access(personas.court), reason="文书有误")
    head = client.get("/api/v1/public/ledger/head").json()
    assert head["sequence"] == 2
    entries = client.get("/api/v1/public/ledger").json()["entries"]
    assert [e["event"] for e in entries] == ["publish", "withdraw"]
    assert entries[0]["prev_hash"] == "0" * 64 and entries[1]["prev_hash"] == entries[0]["hash"]
    assert entries[-1]["hash"] == head["hash"]
    assert entries[0]["at"].endswith("Z") and entries[0]["record_id"] == record.pk
    assert client.get("/api/v1/public/ledger", {"after": 1}).json()["entries"] == entries[1:]
    assert client.get("/api/v1/public/ledger", {"after": 99}).json()["entries"] == []


@pytest.mark.parametrize("after", ["-1", "abc", "99999999999999999999999999"])
def test_ledger_bad_after_is_422(client, reference, after):
    assert client.get("/api/v1/public/ledger", {"after": after}).status_code == 422


def test_openapi_documents_errors(client, reference):
    schema = client.get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/public/subjects/{code}"]["get"]
    assert {"200", "404", "422"} <= set(op["responses"])

import pytest

from govcredit.core.models import AuditEntry


def bearer(user):
    from govcredit.accounts.services import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, name='test')[1]}"}


@pytest.mark.django_db
def test_api_contract(client, personas, recent, dept_subject):
    recent()
    body = {"purpose": "award", "subjects": [dept_subject.uscc, "bad", "91370306MA3C5XKX4Q"]}
    response = client.post("/api/v1/checks", body, content_type="application/json", **bearer(personas.office))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["serial"].startswith("HC")
    first, bad, clear = data["results"]
    assert first["subject"] == dept_subject.uscc and first["status"] == "blocked"
    assert set(first["reasons"][0]) >= {"record_id", "measure", "legal_basis"}
    assert bad["status"] == "error" and bad["detail"]
    assert clear["status"] in ("clear", "error")
    assert "detail" not in first or first["detail"]
    # the pre-encoded answer is exactly the documented schema, with no nulls
    from govcredit.api.checks_api import CheckOut

    CheckOut.model_validate(data)
    assert "null" not in response.content.decode()
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_api_echoes_non_string_subjects_as_errors(client, personas):
    body = {"purpose": "award", "subjects": [123, None, {"a": 1}, "370306199002030551"]}
    response = client.post("/api/v1/checks", body, content_type="application/json", **bearer(personas.office))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["error"] * 4
    assert results[0]["subject"] == "123" and all(r["detail"] for r in results)


@pytest.mark.django_db
def test_openapi_documents_the_check_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/checks"]["post"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["$ref"].endswith("/CheckOut")


@pytest.mark.django_db
def test_api_unknown_purpose_and_bad_body(client, personas):
    headers = bearer(personas.office)
    r = client.post(
        "/api/v1/checks", {"purpose": "x", "subjects": ["a"]}, content_type="application/json", **headers
    )
    assert r.status_code == 422 and "核查用途无效" in str(r.json()["detail"])
    r = client.post("/api/v1/checks", {"purpose": "award"}, content_type="application/json", **headers)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/checks", {"purpose": "award", "subjects": ["a"]}, content_type="application/json"
    )
    assert r.status_code == 401


@pytest.mark.django_db
def test_api_forbidden_is_403_and_audited(client, personas):
    r = client.post(
        "/api/v1/checks",
        {"purpose": "award", "subjects": ["91370306MA3C5XKX4Q"]},
        content_type="application/json",
        **bearer(personas.court),
    )
    assert r.status_code == 403 and r.json()["detail"]
    assert AuditEntry.objects.filter(action="govcredit.check.denied", actor=personas.court).exists()

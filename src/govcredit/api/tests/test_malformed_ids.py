"""Malformed ids under /api/ are the 404 JSON of an unknown path, never a 422 (DESIGN §5, issue 19.1).

Driven by the OpenAPI document, so every path parameter of every router (today's and those added
later) is covered without listing them here."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", "0", "-1", "1.5", "1e3", "true", "99999999999999999999999", "%20", "%E4%B8%AD"]


def _operations():
    document = Client().get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        if "{" not in path:
            continue
        for method in item:
            yield method, path


def test_every_path_parameter_answers_404_json_for_malformed_ids(personas, api):
    office = api(personas.office)  # sees everything: no 401/403 hides the answer
    operations = list(_operations())
    assert ("post", "/api/v1/records/{record_id}/submit") in operations
    assert ("get", "/api/v1/public/records/{record_id}") in operations
    for method, path in operations:
        for value in MALFORMED:
            url = re.sub(r"\{[^}]+\}", value, path)
            response = office.get(url) if method == "get" else office.post(url, {})
            assert response.status_code == 404, (method, url, response.content)
            assert response["Content-Type"].startswith("application/json")
            assert isinstance(response.json()["detail"], str)


def test_a_malformed_id_is_404_even_when_the_body_is_wrong_too(personas, api):
    response = api(personas.court).post("/api/v1/records/abc/reject", {"reason": 12})
    assert response.status_code == 404 and response.json() == {"detail": "资源不存在"}


def test_a_malformed_id_still_needs_a_token(api):
    assert api(None).post("/api/v1/records/abc/submit").status_code == 401


def test_body_and_query_errors_stay_422(personas, api):
    court = api(personas.court)
    assert court.get("/api/v1/records", page="abc").status_code == 422
    assert court.post("/api/v1/records/1/reject", {"reason": 12}).status_code == 422

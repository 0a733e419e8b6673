"""API fixtures: bearer tokens for the personas and a JSON client."""

from __future__ import annotations

import json

import pytest
from django.test import Client


@pytest.fixture
def token_for(personas):
    from govcredit.accounts.services import create_token

    def make(user):
        _token, plain = create_token(user, name="测试")
        return plain

    return make


class ApiClient:
    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, body=None):
        return self.client.post(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self.headers,
        )


@pytest.fixture
def api(token_for):
    """api(user) → a client sending that user's bearer token; api(None) sends none."""

    def make(user):
        return ApiClient(token_for(user) if user is not None else None)

    return make


@pytest.fixture
def api_record(record_data):
    """record_data as JSON-ready exchange keys (dates as strings)."""

    def build(**overrides):
        data = record_data(**overrides)
        data["decided_on"] = str(data["decided_on"])
        return data

    return build


@pytest.fixture
def objection(publish):
    """An objection filed (received) against a published court judgment about 区发改局."""
    from govcredit.disputes import services

    record = publish()
    return services.file_objection(
        record_id=record.pk,
        applicant="周村区发展和改革局",
        contact="13800000000",
        reason="判决已于2026年7月履行完毕，记录内容与事实不符。",
    )


@pytest.fixture
def repair_case(publish):
    """A repair application (received) for a published court judgment (repairable since 2026-09-01)."""
    from govcredit.disputes import services

    record = publish()
    return services.file_repair(
        record_id=record.pk,
        applicant="周村区发展和改革局",
        contact="dept@example.com",
        measures_taken="已全额支付工程款并公开致歉，消除不良影响。",
        obligations_fulfilled=True,
        commitment_confirmed=True,
        files=[("付款凭证.pdf", b"%PDF-1.4\n% test evidence\n")],
    )

"""schemathesis against the served OpenAPI schema (in-process WSGI): no 500, no schema violations.

Covers every operation of the source-unit API (records, catalog, subjects), authenticated with a
clerk's bearer token; the public operations are covered by their own module's tests.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck

from govcredit.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/(records|catalog|subjects)"
)


@pytest.fixture
def keep_test_connection():
    """The in-process WSGI call fires request_started/finished, whose close_old_connections would
    drop PostgreSQL's connection inside the test transaction; Django's test Client disconnects them
    the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def clerk_token(personas, keep_test_connection):
    from govcredit.accounts.services import create_token

    return create_token(personas.court, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, clerk_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {clerk_token}"})

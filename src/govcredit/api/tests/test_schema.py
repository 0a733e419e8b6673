"""Schemathesis against the served OpenAPI document (in-process WSGI), on every operation, with a
clerk's token, a credit-office token and none: every answer must be one the document declares for
the operation — status code, content type, body schema — besides never a 5xx (issue 19.4).

All of the installed Schemathesis's checks run (``call_and_validate`` without a ``checks``
argument: not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance, negative_data_rejection,
positive_data_acceptance, missing_required_header, ignored_auth, unsupported_method …). One setting
differs from Schemathesis's default: a request the schema calls valid may still be refused with a
422 by the services' content rules that JSON Schema cannot express (USCC and ID check characters,
the catalog, dates in the future); the 422 body is checked against its declared schema like any
other answer.

Bounded to stay fast: a few examples per operation and token, derandomized (the same cases every
run, so a failure reproduces)."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.config import SchemathesisConfig

from govcredit.wsgi import application

EXAMPLES = 6

config = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"],
            },
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


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
def world(personas, publish, keep_test_connection):
    """Something to find: a published record (ids 1…) with an objection filed against it."""
    from govcredit.disputes import services

    record = publish()
    services.file_objection(
        record_id=record.pk, applicant="张三", contact="13800000000", reason="记录与事实不符，请核查。"
    )
    return personas


def _token(user) -> str:
    from govcredit.accounts.services import create_token

    return create_token(user, name="schemathesis")[1]


def _call_as(case, user) -> None:
    """Call with the user's token, unless the case is the negative one that drops the Authorization
    header: adding it back would turn the refused request Schemathesis meant into an accepted one."""
    from schemathesis.core.parameters import ParameterLocation

    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        case.call_and_validate()
    else:
        case.call_and_validate(headers={"Authorization": f"Bearer {_token(user)}"})


SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_every_answer_conforms_without_a_token(case, world):
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_every_answer_conforms_with_a_clerks_token(case, world):
    _call_as(case, world.court)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_every_answer_conforms_with_a_credit_office_token(case, world):
    _call_as(case, world.office)

"""schemathesis over the contracts, arrears and PPP operations (staff and public): no 500, no
response outside the declared schema."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.specs.openapi.checks import negative_data_rejection

from govcredit.api.tests.test_schema import keep_test_connection  # noqa: F401  (fixture)
from govcredit.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/(contracts|arrears|ppp|public/(contracts|arrears|ppp))"
)


@pytest.fixture
def finance_token(personas, keep_test_connection):  # noqa: F811
    from govcredit.accounts.services import create_token

    return create_token(personas.finance, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_contract_api_conforms_to_its_schema(case, finance_token):
    # The token is added to every case, so a "missing Authorization" negative case would be
    # accepted by design: the negative-data check is left out, the response checks all run.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {finance_token}"}, excluded_checks=[negative_data_rejection]
    )

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (the API client fixtures)


@pytest.fixture
def civil_servant(reference):
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject

    def make(name: str, seq: int):
        return create_subject(
            SubjectData(
                kind=SubjectKind.CIVIL_SERVANT,
                name=name,
                id_number=make_id_number("370306", dt.date(1980, 1, 1), seq),
            )
        )

    return make


@pytest.fixture
def project(personas):
    from govcredit.ppp import services

    return services.create_project(
        {
            "code": "ZC-PPP-2025-01",
            "name": "周村区城市污水处理厂提标改造PPP项目",
            "sector": "市政工程",
            "investment": "186000000",
            "term_years": 25,
            "operation_mode": "ROT",
            "payment_mechanism": "viability_gap",
            "agency": "区住建局",
            "entered_on": "2025-01-10",
        },
        access=personas.access(personas.finance),
    )

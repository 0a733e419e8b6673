import datetime as dt

import pytest


@pytest.fixture
def centre_clerk(personas):
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user

    centre = Organisation.objects.get(short_name="市公共资源交易中心周村分中心")
    return create_user(
        "jyzx", "pw-jyzx-123", display_name="冯交易", memberships=[(centre, Role.CLERK, False)]
    )


@pytest.fixture
def firm(reference):
    from govcredit.core.codes import make_uscc
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject

    return create_subject(
        SubjectData(
            kind=SubjectKind.ENTERPRISE, name="淄博周联建设工程有限公司", uscc=make_uscc("91370306", 71000001)
        )
    )


@pytest.fixture
def violation(firm):
    def build(**overrides):
        data = {
            "subject_name": firm.name,
            "subject_kind": "企业",
            "uscc": firm.uscc,
            "severity": "严重",
            "document_no": "淄周公交罚〔2026〕3号",
            "decided_on": dt.date.today() - dt.timedelta(days=10),
            "decided_by": "淄博市公共资源交易中心周村分中心",
            "facts": "提供虚假业绩证明材料骗取中标。",
            "outcome": "中标无效，取消其2年参加依法必须进行招标的项目的投标资格。",
            "violation": "fraud",
            "role": "bidder",
            "project_name": "周村区城北路雨污分流改造工程",
            "restriction_months": 24,
        }
        data.update(overrides)
        return data

    return build

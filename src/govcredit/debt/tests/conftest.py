import datetime as dt

import pytest


@pytest.fixture
def finance2(personas):
    """A second 区财政局 clerk: the four-eyes reviewer of the first one's data."""
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user

    return create_user(
        "finance2",
        "pw-finance2-123",
        display_name="复核人",
        memberships=[(personas.unit("区财政局"), Role.CLERK, False)],
    )


@pytest.fixture
def limits(personas):
    from govcredit.debt import services

    access = personas.access(personas.finance)
    services.set_limit(
        {"year": 2026, "category": "general", "amount": "1000000000.00", "document": "鲁财预〔2026〕12号"},
        access=access,
    )
    services.set_limit({"year": 2026, "category": "special", "amount": "2000000000.00"}, access=access)


@pytest.fixture
def bond_data():
    def build(**overrides):
        data = {
            "code": "2024370306S03",
            "name": "2024年山东省政府专项债券（周村区转贷）",
            "category": "special",
            "bond_type": "new",
            "issue_date": dt.date(2024, 8, 20),
            "amount": "500000000.00",
            "rate": "2.48",
            "term_years": 3,
            "use": "产业园区基础设施",
            "projects": "周村经济开发区标准厂房二期",
            "schedule": [
                {"due_on": "2025-08-20", "principal": "0", "interest": "12400000.00"},
                {"due_on": "2026-08-20", "principal": "100000000.00", "interest": "12400000.00"},
                {"due_on": "2027-08-20", "principal": "400000000.00", "interest": "9920000.00"},
            ],
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def snapshot_data():
    def build(**overrides):
        data = {
            "year": 2026,
            "as_of": dt.date.today() - dt.timedelta(days=3),
            "general_balance": "900000000.00",
            "special_balance": "1500000000.00",
            "capacity_general": "1200000000.00",
            "capacity_fund": "800000000.00",
            "debt_service": "150000000.00",
            "overdue": "24000000.00",
        }
        data.update(overrides)
        return data

    return build

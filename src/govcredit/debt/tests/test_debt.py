import datetime as dt
from decimal import Decimal

import pytest

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.debt import services
from govcredit.debt.models import Bond, DebtDisclosure, DebtSnapshot, DebtWarning, RiskBand
from govcredit.duties.models import DisclosureEntry, IntegrityEvent


def test_bond_schedule_must_add_up_to_the_principal(personas, bond_data):
    access = personas.access(personas.finance)
    bad = bond_data(schedule=[{"due_on": "2027-08-20", "principal": "400000000.00", "interest": "0"}])
    with pytest.raises(ValidationFailed) as exc:
        services.register_bond(bad, access=access)
    assert (
        "不一致" in exc.value.field_errors["schedule"][0]
        and "100,000,000.00" in exc.value.field_errors["schedule"][0]
    )
    with pytest.raises(ValidationFailed) as exc:
        services.register_bond(bond_data(amount="-5", rate="25", term_years=0), access=access)
    errors = exc.value.field_errors
    assert (
        "负数" in errors["amount"][0] and "0–20%" in errors["rate"][0] and "1–50" in errors["term_years"][0]
    )
    with pytest.raises(ValidationFailed) as exc:
        services.register_bond(
            bond_data(
                schedule=[
                    {"due_on": "2024-01-01", "principal": "500000000.00", "interest": "0"},
                    {"due_on": "2025-01-01", "principal": "0", "interest": "-1"},
                ]
            ),
            access=access,
        )
    assert any("负数" in m for m in exc.value.field_errors["schedule"]) and any(
        "晚于发行日期" in m for m in exc.value.field_errors["schedule"]
    )
    assert not Bond.objects.exists()
    bond = services.register_bond(bond_data(), access=access)
    assert bond.maturity == dt.date(2027, 8, 20) and bond.schedule.count() == 3
    with pytest.raises(PermissionDenied):
        services.register_bond(bond_data(code="X1"), access=personas.access(personas.court))


def test_balance_needs_a_limit_and_amounts_are_checked(personas, snapshot_data):
    access = personas.access(personas.finance)
    with pytest.raises(ValidationFailed) as exc:
        services.create_snapshot(snapshot_data(), access=access)
    assert "尚未登记一般债务限额" in exc.value.field_errors["general_balance"][0]
    assert "special_balance" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.create_snapshot(
            snapshot_data(year=2026, capacity_fund="-1", debt_service="abc"), access=access
        )
    assert (
        "负数" in exc.value.field_errors["capacity_fund"][0]
        and "数字" in exc.value.field_errors["debt_service"][0]
    )
    assert not DebtSnapshot.objects.exists()


def test_indicators_show_formula_inputs_and_band_with_legal_status(personas, limits, snapshot_data):
    snapshot = services.create_snapshot(snapshot_data(), access=personas.access(personas.finance))
    by_code = {i.code: i for i in services.indicators(snapshot)}
    ratio = by_code["debt_ratio"]
    assert ratio.value == Decimal("120.00")  # 2,400,000,000 ÷ 2,000,000,000
    assert ratio.formula == "债务率 = 债务余额 ÷ 综合财力 × 100%"
    assert ratio.inputs["债务余额"] == "2,400,000,000.00" and ratio.inputs["综合财力"] == "2,000,000,000.00"
    assert (
        ratio.band.level == "yellow"
        and ratio.band.legal_status == "unofficial"
        and "regulations.md" in ratio.band.source
    )
    assert by_code["service_ratio"].value == Decimal("7.50") and by_code["service_ratio"].band is None
    assert "未设置预警区间" in by_code["service_ratio"].note
    assert by_code["overdue_ratio"].value == Decimal("1.00")
    assert (
        by_code["limit_ratio"].value == Decimal("80.00")
        and by_code["limit_ratio"].band.legal_status == "statutory"
    )
    # bands are configuration
    RiskBand.objects.filter(indicator="debt_ratio", level="yellow").update(lower=Decimal("130"))
    RiskBand.objects.filter(indicator="debt_ratio", level="green").update(upper=Decimal("130"))
    assert services.indicators(snapshot)[0].band.level == "green"


def test_four_eyes_publication_warnings_ledger_and_events(
    personas, finance2, limits, snapshot_data, bond_data
):
    clerk, second = personas.access(personas.finance), personas.access(finance2)
    services.register_bond(bond_data(), access=clerk)
    snapshot = services.create_snapshot(snapshot_data(general_balance="1100000000.00"), access=clerk)
    with pytest.raises(Conflict):
        services.approve_snapshot(snapshot, access=second)  # not submitted yet
    services.submit_snapshot(snapshot, access=clerk)
    with pytest.raises(PermissionDenied):
        services.approve_snapshot(snapshot, access=clerk)
    disclosure = services.approve_snapshot(snapshot, access=second)
    snapshot.refresh_from_db()
    assert snapshot.status == "published" and snapshot.reviewed_by == finance2
    critical = DebtWarning.objects.get(snapshot=snapshot, indicator="limit_ratio")
    assert (
        critical.level == "critical"
        and "一般债务余额 1,100,000,000.00 元超过限额 1,000,000,000.00 元" in critical.message
    )
    assert critical.legal_status == "statutory"
    assert DebtWarning.objects.get(snapshot=snapshot, indicator="debt_ratio").level == "yellow"
    payload = disclosure.payload
    assert payload["version"] == 1 and payload["bonds"][0]["schedule"][1]["principal"] == "100000000.00"
    assert DisclosureEntry.objects.filter(
        event="publish", object_type="debt.debtdisclosure", object_id="2026"
    ).exists()
    events = set(IntegrityEvent.objects.filter(module="debt").values_list("indicator", "polarity"))
    assert events == {("debt_disclosure_days", "+"), ("debt_ratio_band", "-"), ("debt_overdue_ratio", "-")}
    # a corrected snapshot for the year: version 2, a correct entry, the old one superseded
    fixed = services.create_snapshot(snapshot_data(general_balance="950000000.00"), access=clerk)
    services.submit_snapshot(fixed, access=clerk)
    second_version = services.approve_snapshot(fixed, access=second)
    assert second_version.version == 2 and services.current_disclosure(2026) == second_version
    assert DebtSnapshot.objects.get(pk=snapshot.pk).status == "superseded"
    assert DisclosureEntry.objects.filter(event="correct", object_id="2026", version=2).exists()
    assert DebtDisclosure.objects.filter(year=2026).count() == 2
    # acknowledging a warning needs a response plan
    with pytest.raises(ValidationFailed):
        services.acknowledge_warning(critical, response_plan=" ", access=clerk)
    services.acknowledge_warning(critical, response_plan="压减新增专项债券申报规模", access=clerk)
    with pytest.raises(Conflict):
        services.acknowledge_warning(critical, response_plan="再次", access=clerk)


def test_tables_for_download(personas, finance2, limits, snapshot_data, bond_data):
    clerk = personas.access(personas.finance)
    services.register_bond(bond_data(), access=clerk)
    snapshot = services.create_snapshot(snapshot_data(plan_borrowing="300000000.00"), access=clerk)
    services.submit_snapshot(snapshot, access=clerk)
    payload = services.approve_snapshot(snapshot, access=personas.access(finance2)).payload
    headers, rows = services.table_rows(payload, "limits")
    assert rows[-1] == ["合计", "3000000000.00", "2400000000.00"]
    headers, rows = services.table_rows(payload, "bonds")
    assert headers[6] == "票面利率（%）" and rows[0][6] == "2.480"
    headers, rows = services.table_rows(payload, "plan")
    assert rows[0] == ["计划举借债务", "300000000.00"]

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (bearer-token clients)


@pytest.fixture
def commitment_data():
    def build(**overrides):
        data = {
            "kind": "development_target",
            "title": "城镇新增就业4500人以上",
            "subject": "周村区人力资源和社会保障局",
            "metric": "quantity",
            "metric_unit": "人",
            "baseline": "4200",
            "target": "4500",
            "start_on": "2026-01-01",
            "due_on": "2026-06-30",
            "cadence": "quarterly",
            "source_type": "work_report",
            "source_document": "2026年周村区政府工作报告",
        }
        data.update(overrides)
        return data

    return build

import datetime as dt
import types

import pytest

from govcredit.evaluation import services
from govcredit.evaluation.models import RunStatus

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2027, 1, 10))


@pytest.fixture
def published(personas, publish):
    """A published 2026 run in which 区发改局 has a serious dishonest-debtor record (veto → 较差)."""
    record = publish(item="dishonest_debtor", severity="严重", decided_on=dt.date(2026, 5, 1))
    office = personas.access(personas.office)
    run = services.open_run("2026", AS_OF, access=office)
    services.open_self_assessment(run, access=office)
    services.open_review(run, access=office)
    run = services.publish(run, access=office)
    return run, record


def test_public_api_and_pages(client, published):
    run, record = published
    body = client.get("/api/v1/public/evaluation?year=2026").json()
    assert body["run"] == run.pk and body["result_hash"] == run.result_hash
    ndrc = next(u for u in body["units"] if u["unit"] == "周村区发展和改革局")
    assert ndrc["grade"] == "较差" and ndrc["vetoed"]
    l11 = next(line for line in ndrc["lines"] if line["indicator"] == "1.1")
    assert l11["public_records"] == [record.pk] and l11["points"] == "5.00"
    assert {u["group"] for u in body["units"]} == {"town", "department"}
    assert client.get("/api/v1/public/evaluation?year=2025").status_code == 404
    assert client.get("/api/v1/public/evaluation?year=1").status_code == 422
    page = client.get("/evaluation/").content.decode()
    assert "镇（街道）" in page and "区直部门" in page and run.result_hash in page
    assert "评价指标" in client.get("/evaluation/methodology/").content.decode()
    unit = record.subject
    html = client.get(f"/evaluation/units/{unit.public_id}/").content.decode()
    assert "chart.umd.min.js" in html and f"/records/{record.pk}/" in html
    assert "不属于本区官方政务诚信评价" in html
    assert client.get("/evaluation/units/NOPE/").status_code == 404


def test_beside_hook_shown_apart(client, published, monkeypatch):
    run, record = published
    unit = record.subject

    def beside(unit_ids, year):
        return [
            {
                "unit_id": unit.pk,
                "agency": "某信用评级公司",
                "grade": "AA",
                "score": 88,
                "method_url": "",
                "published_on": "2027-01-05",
            }
        ]

    fake = types.SimpleNamespace(beside=beside)
    monkeypatch.setattr("govcredit.evaluation.beside.app_modules", lambda hook: [("govcredit.fake", fake)])
    html = client.get(f"/evaluation/units/{unit.public_id}/").content.decode()
    assert "某信用评级公司" in html and "AA" in html
    # never mixed in: the official total is unchanged
    assert services.recompute(run)["identical"]


def test_low_grade_is_attention_in_policy_support_check(published, personas):
    from govcredit.sanctions import checks

    run, record = published
    access = personas.access(personas.hr)
    _check, rows = checks.run_check(
        [record.subject.uscc], "policy_support", access=access, today=dt.date(2027, 1, 10)
    )
    reasons = [r for r in rows[0]["reasons"] if r.get("item") == "政务诚信评价"]
    assert reasons and rows[0]["status"] in ("attention", "blocked")
    assert "（九）" in reasons[0]["legal_basis"] and "较差" in reasons[0]["measure"]
    from govcredit.evaluation.check_inputs import consult

    mine = consult("policy_support", [record.subject_id], dt.date(2027, 1, 10))[record.subject_id]
    assert mine.reasons[0]["status"] == "attention" and run.result_hash in mine.reasons[0]["note"]
    # other purposes are not consulted; a well-graded unit gets nothing from the evaluation
    assert consult("award", [record.subject_id], dt.date(2027, 1, 10)) == {}
    court = run.results.get(unit__name="周村区人民法院")
    assert court.unit_id not in consult("policy_support", [court.unit_id], dt.date(2027, 1, 10))


def test_office_pages_by_role(client, published, personas):
    run, record = published
    result = run.results.get(unit__name="周村区人民法院")
    client.force_login(personas.office)
    for url in [
        "/office/evaluation/",
        f"/office/evaluation/runs/{run.pk}/",
        f"/office/evaluation/results/{result.pk}/",
        "/office/evaluation/sets/",
    ]:
        assert client.get(url).status_code == 200, url
    xlsx = client.get(f"/office/evaluation/runs/{run.pk}/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    s = services.active_set()
    assert client.get(f"/office/evaluation/sets/{s.pk}/").status_code == 200
    page = client.get(f"/office/evaluation/results/{result.pk}/?wi_1.4=5").content.decode()
    assert "模拟结果" in page
    client.force_login(personas.court)  # own unit only
    assert client.get(f"/office/evaluation/results/{result.pk}/").status_code == 200
    other = run.results.get(unit__name="周村区财政局")
    assert client.get(f"/office/evaluation/results/{other.pk}/").status_code == 404
    client.force_login(personas.outsider)
    assert client.get("/office/evaluation/").status_code == 403


def test_office_run_and_publish_through_pages(client, personas):
    client.force_login(personas.office)
    response = client.post("/office/evaluation/", {"period": "2026", "as_of": "2026-12-31"})
    assert response.status_code == 302
    run = services.EvaluationRun.objects.get()
    for step in ["self_assessment", "review", "publish"]:
        client.post(f"/office/evaluation/runs/{run.pk}/{step}/")
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    client.force_login(personas.court)
    assert client.post(f"/office/evaluation/runs/{run.pk}/publish/").status_code in (302, 403)


def test_menu_and_tiles(published, personas):
    from govcredit.office.registry import menu_for, tiles_for

    keys = [e.key for _app, e in menu_for(personas.access(personas.office))]
    assert "evaluation" in keys and "evaluation_sets" in keys
    assert "evaluation" not in [e.key for _app, e in menu_for(personas.access(personas.outsider))]
    assert any(t.label == "政务诚信评价待审核" for t in tiles_for(personas.access(personas.hr)))


def test_staff_api(client, personas):
    from govcredit.accounts.services import create_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(personas.office, name='t')[1]}"}
    r = client.post(
        "/api/v1/evaluation/runs",
        {"period": "2026", "as_of": "2026-12-31"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    again = client.post(f"/api/v1/evaluation/runs/{pk}/recompute", **auth).json()
    assert again["identical"] and again["result_hash"] == r.json()["result_hash"]
    assert client.get("/api/v1/evaluation/runs/abc", **auth).status_code == 404
    assert client.post(f"/api/v1/evaluation/runs/{pk}/publish", **auth).status_code == 409
    court = {"HTTP_AUTHORIZATION": f"Bearer {create_token(personas.court, name='t')[1]}"}
    assert (
        client.post(
            "/api/v1/evaluation/runs",
            {"period": "2026", "as_of": "2026-12-31"},
            content_type="application/json",
            **court,
        ).status_code
        == 403
    )
    result = services.EvaluationRun.objects.get(pk=pk).results.first()
    assert "lines" in client.get(f"/api/v1/evaluation/results/{result.pk}/what-if", **auth).json()

"""政务诚信评价 pages with a published run (the general crawl sees them empty): axe on the ranking,
methodology, unit page (radar chart drawn), and the back office run, result (self-assessment form)
and indicator set pages."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def evaluated(publish, personas, monkeypatch):
    from govcredit.evaluation import services

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2027, 1, 10))
    record = publish(severity="较重", decided_on=dt.date(2026, 5, 1))
    office = personas.access(personas.office)
    run = services.open_run("2026", dt.date(2026, 12, 31), access=office)
    services.open_self_assessment(run, access=office)
    draft = services.new_version(services.active_set(), access=office)
    return run, record, draft


def test_evaluation_pages_pass_axe(page, login, personas, evaluated, axe, shot):
    from govcredit.evaluation import services

    run, record, draft = evaluated
    result = run.results.get(unit=record.subject)
    office = login(personas.office, viewport={"width": 1280, "height": 900})
    for url in [
        "/office/evaluation/",
        f"/office/evaluation/runs/{run.pk}/",
        f"/office/evaluation/results/{result.pk}/",
        "/office/evaluation/sets/",
        f"/office/evaluation/sets/{draft.pk}/",
    ]:
        office.goto(url)
        axe(office)
    clerk = login(personas.dept, viewport={"width": 1280, "height": 900})  # 区发改局's own unit user
    clerk.goto(f"/office/evaluation/results/{result.pk}/")
    assert clerk.locator("input[type=file]").count() >= 1
    axe(clerk)
    shot(clerk, "evaluation-result-office")
    access = personas.access(personas.office)
    services.open_review(run, access=access)
    services.publish(run, access=access)
    for url in ["/evaluation/", "/evaluation/methodology/", f"/evaluation/units/{record.subject.public_id}/"]:
        page.goto(url)
        axe(page)
    assert page.evaluate("() => !!window.Chart && Object.keys(Chart.instances).length") == 1
    shot(page, "evaluation-unit")

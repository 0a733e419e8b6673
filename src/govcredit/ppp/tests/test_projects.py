"""The PPP stage gate (409), deferred items' due dates, tenure and the trace-back query."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.duties.models import DisclosureEntry, Duty
from govcredit.ppp import services
from govcredit.ppp.models import Stage

pytestmark = pytest.mark.django_db

ROLES = {
    "identification": ["implementing_head", "finance_review"],
    "preparation": ["implementing_head", "finance_review"],
    "procurement": ["implementing_head", "procurement_lead"],
}


def staff(personas, project, civil_servant, *, skip_role=None):
    access = personas.access(personas.finance)
    people = {}
    for n, (stage, roles) in enumerate(ROLES.items()):
        for m, role in enumerate(roles):
            if role == skip_role and stage == "procurement":
                continue
            person = people.get(role) or civil_servant(f"张{role[:2]}明", 10 + n * 3 + m)
            people.setdefault(role, person)
            services.add_responsibility(
                project,
                {"stage": stage, "role": role, "person_id": person.pk, "start": "2025-01-10"},
                access=access,
            )
    return people


def provide_stage(personas, project, stage, *, skip=()):
    access = personas.access(personas.finance)
    for item in project.items.filter(stage=stage, required=True):
        if item.name in skip:
            continue
        services.provide_item(
            item, {"document_title": f"{item.name}（正式稿）", "provided_on": "2025-02-01"}, access=access
        )


def walk_to_procurement(personas, project):
    access = personas.access(personas.finance)
    provide_stage(personas, project, "identification")
    project = services.advance_stage(project, to="preparation", on=dt.date(2025, 3, 1), access=access)
    provide_stage(personas, project, "preparation")
    return services.advance_stage(project, to="procurement", on=dt.date(2025, 5, 1), access=access)


def test_the_gate_refuses_execution_while_an_item_or_a_person_is_missing(
    personas, api, project, civil_servant
):
    staff(personas, project, civil_servant, skip_role="procurement_lead")
    project = walk_to_procurement(personas, project)
    provide_stage(personas, project, "procurement", skip=("PPP项目合同",))
    client = api(personas.finance)
    response = client.post(
        f"/api/v1/ppp/projects/{project.pk}/advance", {"stage": "execution", "on": "2025-08-01"}
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail["fields"]["items"] == ["PPP项目合同"]
    assert detail["fields"]["responsibilities"] == ["采购负责人"]
    project.refresh_from_db()
    assert project.stage == Stage.PROCUREMENT

    provide_stage(personas, project, "procurement")
    lead = civil_servant("李采购", 90)
    services.add_responsibility(
        project,
        {"stage": "procurement", "role": "procurement_lead", "person_id": lead.pk, "start": "2025-05-01"},
        access=personas.access(personas.finance),
    )
    response = client.post(
        f"/api/v1/ppp/projects/{project.pk}/advance", {"stage": "execution", "on": "2025-08-01"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage"] == "execution"
    deferred = {i["name"]: i for i in body["items"] if i["mode"] == "deferred" and i["stage"] in ROLES}
    # deferred items of the first three stages: entering execution + 6 months
    assert {i["due_on"] for i in deferred.values() if i["state"] != "published"} == {"2026-02-01"}
    execution = [i for i in body["items"] if i["stage"] == "execution" and i["mode"] == "deferred"]
    assert {i["due_on"] for i in execution} == {"2026-04-30"}
    assert Duty.objects.filter(module="ppp", kind="disclosure_item").count() == len(
        [i for i in deferred.values() if i["state"] != "published"]
    ) + len(execution)


def test_stages_cannot_be_skipped(personas, project):
    with pytest.raises(Conflict) as exc:
        services.advance_stage(
            project, to="execution", on=dt.date(2025, 2, 1), access=personas.access(personas.finance)
        )
    assert "只能进入下一阶段" in exc.value.message


def test_responsible_answers_who_held_the_role_on_that_day(personas, api, project, civil_servant):
    access = personas.access(personas.finance)
    first, second = civil_servant("王建国", 1), civil_servant("赵立新", 2)
    services.add_responsibility(
        project,
        {
            "stage": "procurement",
            "role": "procurement_lead",
            "person_id": first.pk,
            "start": "2025-01-10",
            "end": "2025-04-30",
        },
        access=access,
    )
    services.add_responsibility(
        project,
        {
            "stage": "procurement",
            "role": "procurement_lead",
            "person_id": second.pk,
            "start": "2025-05-01",
            "unit": "区财政局",
        },
        access=access,
    )
    client = api(personas.finance)
    url = f"/api/v1/ppp/projects/{project.pk}/responsible"
    april = client.get(url, stage="procurement", on="2025-04-30").json()
    may = client.get(url, stage="procurement", on="2025-05-01").json()
    assert [i["person_id"] for i in april["items"]] == [first.pk]
    assert [(i["person_id"], i["unit"]) for i in may["items"]] == [(second.pk, "周村区财政局")]
    assert "实施机构负责人" in may["missing"]
    assert client.get(url, stage="procurement", on="2025-13-01").status_code == 422
    assert client.get(url, stage="nowhere", on="2025-05-01").status_code == 422


def test_overlapping_tenures_are_refused(personas, project, civil_servant):
    access = personas.access(personas.finance)
    services.add_responsibility(
        project,
        {
            "stage": "execution",
            "role": "performance_supervision",
            "person_id": civil_servant("甲", 3).pk,
            "start": "2025-01-10",
        },
        access=access,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.add_responsibility(
            project,
            {
                "stage": "execution",
                "role": "performance_supervision",
                "person_id": civil_servant("乙", 4).pk,
                "start": "2025-06-01",
            },
            access=access,
        )
    assert "任期不能重叠" in exc.value.field_errors["start"][0]
    with pytest.raises(ValidationFailed):
        services.add_responsibility(
            project,
            {
                "stage": "execution",
                "role": "finance_review",
                "person_id": civil_servant("丙", 5).pk,
                "start": "2025-06-01",
                "end": "2025-01-01",
            },
            access=access,
        )


def test_instant_items_publish_at_once_and_withdrawals_enter_the_ledger(personas, project):
    from django.test import Client

    access = personas.access(personas.finance)
    overview = project.items.get(template__code="overview")
    services.provide_item(overview, {"document_title": "项目概况"}, access=access)
    vfm = project.items.get(template__code="vfm_report")
    services.provide_item(vfm, {"document_title": "物有所值评价报告"}, access=access)
    overview.refresh_from_db()
    vfm.refresh_from_db()
    assert overview.state == "published" and vfm.state == "pending"
    services.withhold_item(overview, reason="涉及商业秘密，经区财政局审核不予公开", access=access)
    events = list(
        DisclosureEntry.objects.filter(object_type="ppp.disclosureitem").values_list("event", flat=True)
    )
    assert events == ["publish", "withdraw"]
    body = Client().get(f"/api/v1/public/ppp/projects/{project.code}").json()
    assert body["completeness"]["required"] >= 1
    shown = {i["name"]: i for i in body["items"]}
    assert shown[vfm.name]["document_title"] == ""  # not public yet


def test_a_stranger_cannot_touch_the_project(personas, api, project):
    assert api(personas.court).get(f"/api/v1/ppp/projects/{project.pk}").status_code == 404
    assert api(personas.office).get(f"/api/v1/ppp/projects/{project.pk}").status_code == 200


def test_the_scan_publishes_deferred_items_and_proposes_a_payment_breach(personas, project, civil_servant):
    from govcredit.duties.models import Finding, IntegrityEvent
    from govcredit.ppp import duties as ppp_duties

    access = personas.access(personas.finance)
    staff(personas, project, civil_servant)
    head = civil_servant("钱履约", 77)
    services.add_responsibility(
        project,
        {
            "stage": "execution",
            "role": "performance_supervision",
            "person_id": head.pk,
            "start": "2025-01-10",
        },
        access=access,
    )
    project = walk_to_procurement(personas, project)
    provide_stage(personas, project, "procurement")
    project = services.advance_stage(project, to="execution", on=dt.date(2025, 8, 1), access=access)
    services.set_fiscal(
        project,
        {"year": 2025, "responsibility": "5000000", "budgeted": "5000000", "paid": "3000000"},
        access=access,
    )
    counts = ppp_duties.scan(dt.date(2026, 12, 1))
    vfm = project.items.get(template__code="vfm_report")
    assert vfm.state == "published"  # provided, never published by hand: public automatically
    assert counts["auto_published"] >= 1 and counts["findings"] == 1
    finding = Finding.objects.get(module="ppp", rule="fiscal_unpaid")
    assert "PPP-" in finding.document_no and finding.record.item.code == "contract_breach"
    assert IntegrityEvent.objects.filter(subject=head, indicator="ppp_fiscal_unpaid").exists()
    from govcredit.sanctions.models import AccountabilityReferral

    referral = AccountabilityReferral.objects.get(source_type="ppp.fiscalcommitment", person=head)
    assert referral.to_unit.short_name == "区委组织部" and counts["referrals"] >= 1
    again = ppp_duties.scan(dt.date(2026, 12, 1))
    assert again["findings"] == 0 and again["auto_published"] == 0


def test_paid_above_the_budget_is_refused(personas, project):
    with pytest.raises(ValidationFailed) as exc:
        services.set_fiscal(
            project,
            {"year": 2025, "responsibility": "100", "budgeted": "50", "paid": "60"},
            access=personas.access(personas.finance),
        )
    assert "超过预算安排" in exc.value.field_errors["paid"][0]


def test_performance_events_go_to_each_person_who_held_a_role_at_the_time(personas, project, civil_servant):
    """（十二）纳入项目政府方责任人信用记录: every execution-stage role holder on the day of the breach gets
    the event (and, for an unpaid year, the referral); a predecessor whose tenure had ended does not."""
    from govcredit.duties.models import IntegrityEvent
    from govcredit.ppp import duties as ppp_duties
    from govcredit.sanctions.models import AccountabilityReferral

    access = personas.access(personas.finance)
    staff(personas, project, civil_servant)
    before, after, head = (
        civil_servant("孙前任", 81),
        civil_servant("周后任", 82),
        civil_servant("吴机构", 83),
    )
    for person, role, start, end in (
        (before, "performance_supervision", "2025-01-10", "2025-09-30"),
        (after, "performance_supervision", "2025-10-01", None),
        (head, "implementing_head", "2025-01-10", None),
    ):
        services.add_responsibility(
            project,
            {"stage": "execution", "role": role, "person_id": person.pk, "start": start, "end": end},
            access=access,
        )
    project = walk_to_procurement(personas, project)
    provide_stage(personas, project, "procurement")
    project = services.advance_stage(project, to="execution", on=dt.date(2025, 8, 1), access=access)
    services.set_fiscal(
        project,
        {"year": 2025, "responsibility": "5000000", "budgeted": "5000000", "paid": "4000000"},
        access=access,
    )
    services.set_fiscal(
        project,
        {"year": 2026, "responsibility": "5000000", "budgeted": "5000000", "paid": "5000000"},
        access=access,
    )
    counts = ppp_duties.scan(dt.date(2027, 6, 1))

    def events(person, indicator):
        return IntegrityEvent.objects.filter(subject=person, indicator=indicator)

    unpaid = events(after, "ppp_fiscal_unpaid").get()
    assert (
        unpaid.polarity == "-" and unpaid.value == 1_000_000 and unpaid.occurred_on == dt.date(2025, 12, 31)
    )
    assert events(head, "ppp_fiscal_unpaid").count() == 1
    assert not events(before, "ppp_fiscal_unpaid").exists()  # left office before the year ended unpaid
    referred = set(
        AccountabilityReferral.objects.filter(source_type="ppp.fiscalcommitment").values_list(
            "person", flat=True
        )
    )
    assert referred == {after.pk, head.pk}
    # a year paid in full is performance too: a positive event on each holder
    assert events(after, "ppp_fiscal_paid").get().polarity == "+"
    assert events(head, "ppp_fiscal_paid").exists() and not events(before, "ppp_fiscal_paid").exists()
    # execution items never provided are late: the holders on the due date get the event
    late = project.items.filter(stage="execution", required=True).order_by("due_on").first()
    assert late.due_on is not None and late.state == "pending"
    holders = {r.person_id for r in services.responsible_on(project, stage="execution", on=late.due_on)}
    assert after.pk in holders and before.pk not in holders
    assert set(events(after, "ppp_disclosure_late").values_list("subject", flat=True)) == {after.pk}
    assert counts["events"] == IntegrityEvent.objects.filter(module="ppp").count()
    again = ppp_duties.scan(dt.date(2027, 6, 1))
    assert again["events"] == 0 and again["referrals"] == 0  # nothing appended twice, nothing counted twice

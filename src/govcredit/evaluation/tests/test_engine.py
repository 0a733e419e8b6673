import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.evaluation import services
from govcredit.evaluation.models import EvaluationRun, IndicatorSet, LineState, RunStatus, ScoreLine

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2027, 1, 10))


def line(run, unit_name, code):
    return ScoreLine.objects.get(run=run, result__unit__name=unit_name, indicator_code=code)


def test_default_set_seeded_and_valid(reference):
    s = IndicatorSet.objects.get(code="zhoucun-gi")
    assert s.status == "active" and s.total == 100
    assert services.validate_tree(s) == []
    assert s.indicators.filter(level=1).count() == 6
    assert {b["label"] for b in s.bands} == {"优秀", "良好", "中等", "较差"}


def test_run_scores_records_and_events_with_ids(personas, publish, event):
    record = publish(severity="较重", decided_on=dt.date(2026, 6, 1))
    e1 = event("区发改局", "commitment_fulfilled_on_time", "+")
    e2 = event("区发改局", "commitment_not_fulfilled", "-")
    out = call_command_out("run", "--period", "2026", "--as-of", "2026-12-31")
    run = EvaluationRun.objects.get()
    assert "结果摘要" in out and run.result_hash in out
    l11 = line(run, "周村区发展和改革局", "1.1")
    assert l11.points == Decimal("10.00")  # 15 − 5 (较重)
    assert l11.explanation["inputs"]["records"] == [record.pk]
    assert l11.explanation["inputs"]["public_records"] == [record.pk]
    l21 = line(run, "周村区发展和改革局", "2.1")
    assert l21.points == Decimal("5.00")  # 10 × 1/2
    assert l21.explanation["inputs"]["events"] == sorted([e1.pk, e2.pk])
    other = line(run, "周村区人民法院", "1.1")
    assert other.points == Decimal("15.00") and other.explanation["inputs"]["records"] == []
    groups = set(run.results.values_list("group", flat=True))
    assert groups == {"town", "department"}
    # towns and departments ranked separately: each group has a rank 1
    assert (
        run.results.filter(group="town", rank=1).exists()
        and run.results.filter(group="department", rank=1).exists()
    )


def call_command_out(*args):
    from io import StringIO

    buf = StringIO()
    call_command("evaluation", *args, stdout=buf)
    return buf.getvalue()


def test_recompute_identical_and_detects_tampering(personas, publish):
    publish(severity="严重", decided_on=dt.date(2026, 5, 1))
    run = services.open_run("2026", AS_OF, access=None)
    report = services.recompute(run)
    assert report["identical"] and report["result_hash"] == run.result_hash
    out = call_command_out("recompute", str(run.pk))
    assert "复算结果一致" in out and run.result_hash in out
    # live data changing after the run does not change the recompute (inputs are frozen)
    publish(severity="严重", decided_on=dt.date(2026, 7, 1), document_no="周法民〔2026〕2号")
    assert services.recompute(run)["result_hash"] == run.result_hash
    ScoreLine.objects.filter(run=run, indicator_code="1.1", result__unit__name="周村区发展和改革局").update(
        points=Decimal("15")
    )
    with pytest.raises(CommandError):
        call_command_out("recompute", str(run.pk))


def test_record_outside_window_not_counted(personas, publish):
    publish(decided_on=dt.date(2025, 6, 1))
    run = services.open_run("2026", AS_OF, access=None)
    assert line(run, "周村区发展和改革局", "1.1").points == 15


def test_veto_forces_lowest_grade(personas, publish):
    publish(item="dishonest_debtor", severity="严重", decided_on=dt.date(2026, 5, 1))
    run = services.open_run("2026", AS_OF, access=None)
    result = run.results.get(unit__name="周村区发展和改革局")
    assert result.vetoed and result.grade_label == "较差"
    peers = run.results.filter(group=result.group)
    assert result.rank == peers.count()  # behind every unit without a veto, whatever its points
    assert all(r.rank < result.rank for r in peers.exclude(pk=result.pk))


def test_rank_puts_vetoed_units_last_and_shares_ties():
    from govcredit.evaluation.engine import rank

    ranks = rank(
        [
            ("a", "g", Decimal("90"), True),
            ("b", "g", Decimal("70"), False),
            ("c", "g", Decimal("70"), False),
            ("d", "g", Decimal("60"), False),
            ("e", "h", Decimal("50"), False),
        ]
    )
    assert ranks == {"b": 1, "c": 1, "d": 3, "a": 4, "e": 1}


def test_cli_bad_arguments_exit_2(reference):
    with pytest.raises(CommandError) as exc:
        call_command_out("run", "--period", "26", "--as-of", "2026-12-31")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command_out("run", "--period", "2026", "--as-of", "2099-01-01")
    assert exc.value.returncode == 2


def test_workflow_self_assess_review_publish_appeal_final(personas, pdf):
    from govcredit.duties.models import DisclosureEntry

    office = personas.access(personas.office)
    run = services.open_run("2026", AS_OF, access=office)
    with pytest.raises(PermissionDenied):
        services.open_run("2026", AS_OF, access=personas.access(personas.court))
    services.open_self_assessment(run, access=office)
    court = personas.access(personas.court)
    l14 = line(run, "周村区人民法院", "1.4")
    assert l14.state == LineState.PENDING
    with pytest.raises(ValidationFailed):  # evidence required
        services.claim_line(l14, points="4", note="已公开承诺", files=[], access=court)
    with pytest.raises(ValidationFailed):  # above full points
        services.claim_line(l14, points="9", note="已公开承诺", files=[("a.pdf", pdf)], access=court)
    with pytest.raises(PermissionDenied):  # not the court's unit
        services.claim_line(
            line(run, "周村区财政局", "1.4"), points="4", note="x", files=[("a.pdf", pdf)], access=court
        )
    services.claim_line(l14, points="4", note="已公开承诺", files=[("a.pdf", pdf)], access=court)
    run.refresh_from_db()
    assert services.recompute(run)["identical"]
    services.open_review(run, access=office)
    with pytest.raises(PermissionDenied):  # court is not a conference member
        services.review_line(l14, points="3", note="部分", access=court)
    hr = personas.access(personas.hr)  # 区人社局: a member unit
    services.review_line(l14, points="3", note="佐证只覆盖下半年", access=hr)
    l14.refresh_from_db()
    assert l14.points == Decimal("3.00") and "审核认定3.00分" in l14.explanation["text"]
    run = services.publish(run, access=office)
    assert run.status == RunStatus.PUBLISHED and run.appeal_due > dt.date(2027, 1, 10)
    entry = DisclosureEntry.objects.get(object_type=f"evaluation.run.{run.pk}")
    assert entry.object_id == run.result_hash and entry.event == "publish"
    assert services.recompute(run)["in_disclosure_ledger"]
    result = run.results.get(unit__name="周村区人民法院")
    appeal = services.file_appeal(
        result, reason="已提交全年佐证", access=court, line=l14, requested_points="5"
    )
    run.refresh_from_db()
    assert run.status == RunStatus.APPEAL
    with pytest.raises(Conflict):
        services.finalise(run, access=office)
    services.decide_appeal(appeal, upheld=True, decision="补充材料属实", points="5", access=office)
    with pytest.raises(Conflict):  # appeal period still running
        services.finalise(run, access=office, today=dt.date(2027, 1, 11))
    run.refresh_from_db()
    run = services.finalise(run, access=office, today=run.appeal_due + dt.timedelta(days=1))
    assert run.status == RunStatus.FINAL
    assert DisclosureEntry.objects.filter(
        object_type=f"evaluation.run.{run.pk}", event="correct", object_id=run.result_hash
    ).exists()
    assert services.recompute(run)["identical"]
    with pytest.raises(Conflict):  # appeal after the deadline
        services.file_appeal(result, reason="x", access=court, today=run.appeal_due + dt.timedelta(days=2))


def test_what_if(personas, publish):
    publish(severity="严重", decided_on=dt.date(2026, 5, 1))
    run = services.open_run("2026", AS_OF, access=None)
    result = run.results.get(unit__name="周村区发展和改革局")
    answer = services.what_if(result)
    assert Decimal(answer["lines"][0]["room"]) >= Decimal(answer["lines"][-1]["room"])
    codes = [w["code"] for w in answer["lines"]]
    assert "1.1" in codes and "5.1" in codes
    assert answer["next"]["reachable"] and answer["next"]["via"]
    sim = services.what_if(result, {"1.1": "15", "5.1": "5", "5.2": "5", "6.1": "5", "1.4": "5"})
    assert Decimal(sim["simulated"]["total"]) == result.total + 10 + 20
    with pytest.raises(ValidationFailed):
        services.what_if(result, {"1.1": "99"})


def test_set_versioning(personas):
    office = personas.access(personas.office)
    active = services.active_set()
    with pytest.raises(Conflict):
        services.save_indicator(active, {"code": "7", "name": "x", "points": 1}, access=office)
    draft = services.new_version(active, access=office)
    assert draft.version == 2 and draft.indicators.count() == active.indicators.count()
    with pytest.raises(PermissionDenied):
        services.new_version(active, access=personas.access(personas.court))
    leaf = draft.indicators.get(code="6.2")
    services.save_indicator(
        draft,
        {
            "code": "6.2",
            "name": "守信激励",
            "points": "4",
            "method": "event_bonus",
            "params": {"indicators": ["typical_case_published"]},
            "parent": leaf.parent_id,
        },
        access=office,
        indicator=leaf,
    )
    with pytest.raises(ValidationFailed):  # 99 ≠ 100
        services.activate_set(draft, access=office)
    with pytest.raises(ValidationFailed):
        services.save_indicator(
            draft, {"code": "6.3", "name": "x", "points": 1, "method": "nope"}, access=office
        )
    services.save_indicator(
        draft,
        {"code": "6.3", "name": "其他创新", "points": 1, "method": "manual", "parent": leaf.parent_id},
        access=office,
    )
    services.activate_set(draft, access=office)
    active.refresh_from_db()
    assert active.status == "retired" and services.active_set() == draft


def test_contributed_method_only_adds_an_indicator(personas, monkeypatch):
    """A module added later contributes a method through ``<app>/evaluation_methods.py`` and an
    indicator using it; nothing in the engine changes."""
    import types

    from govcredit.evaluation import methods

    def gather(unit_ids, start, as_of):
        return {u: ({"n": 2}, {"events": [1, 2]}) for u in unit_ids}

    def score(points, params, inputs):
        return methods.q(points - inputs["n"]), Decimal(inputs["n"]), f"外部模块计数{inputs['n']}"

    extra = methods.Method("bench_custom", "测试方法", "custom", None, score, gather=gather)
    fake = types.SimpleNamespace(methods=lambda: [extra])
    monkeypatch.setattr(methods, "app_modules", lambda hook: [("govcredit.fake", fake)])
    office = personas.access(personas.office)
    draft = services.new_version(services.active_set(), access=office)
    six = draft.indicators.get(code="6")
    leaf = draft.indicators.get(code="6.2")
    services.save_indicator(
        draft,
        {"code": "6.2", "name": "守信激励", "points": "2", "method": "event_bonus", "parent": six.pk},
        access=office,
        indicator=leaf,
    )
    services.save_indicator(
        draft,
        {"code": "6.3", "name": "外部模块指标", "points": "3", "method": "bench_custom", "parent": six.pk},
        access=office,
    )
    services.activate_set(draft, access=office)
    run = services.open_run("2026", AS_OF, access=office)
    got = line(run, "周村区人民法院", "6.3")
    assert got.points == Decimal("1.00") and got.explanation["inputs"]["events"] == [1, 2]
    assert services.recompute(run)["identical"]


def test_setup_is_idempotent(reference):
    from govcredit.evaluation.setup import load_defaults

    assert "created=0" in load_defaults()
    assert IndicatorSet.objects.count() == 1

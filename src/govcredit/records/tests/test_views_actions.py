"""Detail page actions, the review queue, corrections under review, the version diff, and the
list's filters — through the screens, as each role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govcredit.records import services
from govcredit.records.models import CorrectionRequest, CorrectionStatus, CreditRecord, Status


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# -- submit, approve, reject ---------------------------------------------------------------------


def test_clerk_submits_and_a_reviewer_approves(world, personas, login):
    record = world.court_draft
    client = login(personas.court)
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "提交审核" in page and ">通过<" not in page
    response = client.post(f"/office/records/{record.pk}/submit/", follow=True)
    assert "已提交审核" in _messages(response)
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED

    client = login(personas.reviewer)
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "驳回并说明理由" in page and ">通过<" in page
    response = client.post(
        f"/office/records/{record.pk}/approve/", {"expected_version": record.version}, follow=True
    )
    assert "审核通过" in _messages(response)
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    page = response.content.decode()
    assert "公示期" in page and record.publish_until.isoformat() in page
    assert "可申请修复日期" in page and record.repairable_from.isoformat() in page
    assert "「司法判决」第 1 版" in page  # catalog version it was judged under


def test_a_clerk_cannot_approve(world, personas, login):
    response = login(personas.hr).post(f"/office/records/{world.hr_person.pk}/approve/")
    assert response.status_code == 403 and "只有信用办审核人可以审核记录" in response.content.decode()
    assert CreditRecord.objects.get(pk=world.hr_person.pk).status == Status.SUBMITTED


def test_actions_are_post_only(world, personas, login):
    assert login(personas.reviewer).get(f"/office/records/{world.hr_person.pk}/approve/").status_code == 405


def test_a_reviewer_never_approves_their_own_record(personas, record_data, login):
    office = personas.access(personas.office)
    record, _, _ = services.upsert_record(
        record_data(item="broken_commitment", document_no="周发改〔2026〕9号"),
        source_unit=personas.unit("区发改局"),
        access=office,
        submit=True,
    )
    client = login(personas.office)
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "由您本人报送" in page and "驳回并说明理由" not in page
    response = client.post(f"/office/records/{record.pk}/approve/")
    assert response.status_code == 403 and "不能审核自己报送的记录" in response.content.decode()
    assert CreditRecord.objects.get(pk=record.pk).status == Status.SUBMITTED


def test_reject_needs_a_reason_at_the_field(world, personas, login):
    record = world.hr_person
    client = login(personas.reviewer)
    response = client.post(f"/office/records/{record.pk}/reject/", {"reason": "  "})
    assert response.status_code == 422
    assert "请填写驳回理由" in response.content.decode()
    assert CreditRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
    response = client.post(f"/office/records/{record.pk}/reject/", {"reason": "处分文号有误"}, follow=True)
    record.refresh_from_db()
    assert record.status == Status.REJECTED and record.review_note == "处分文号有误"
    assert "处分文号有误" in response.content.decode()


def test_two_reviewers_at_once_the_second_gets_a_clear_message(world, personas, login):
    record = world.hr_person
    seen_version = record.version  # both reviewers opened the page
    login(personas.reviewer2).post(
        f"/office/records/{record.pk}/approve/", {"expected_version": seen_version}
    )
    client = login(personas.reviewer)
    response = client.post(
        f"/office/records/{record.pk}/approve/", {"expected_version": seen_version}, follow=True
    )
    assert response.status_code == 200
    assert "已被他人处理" in _messages(response)
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.reviewed_by == personas.reviewer2
    # Without the page's version the service's own compare-and-swap answers, still not a 500.
    response = client.post(f"/office/records/{record.pk}/reject/", {"reason": "晚了"}, follow=True)
    assert response.status_code == 200 and "不能驳回" in _messages(response)


def test_the_service_level_race_is_a_message_not_a_500(world, personas, login, monkeypatch):
    from govcredit.core.errors import Conflict

    def lost(*args, **kwargs):
        raise Conflict("记录「x」已被他人处理，当前状态为「已公示」，请刷新后查看")

    monkeypatch.setattr(services, "approve_record", lost)
    response = login(personas.reviewer).post(f"/office/records/{world.hr_person.pk}/approve/", follow=True)
    assert response.status_code == 200 and "已被他人处理" in _messages(response)


# -- revoke ------------------------------------------------------------------------------------


def test_revoke_confirms_naming_the_document_and_needs_a_reason(world, personas, login):
    record = world.court_dept
    client = login(personas.court)
    page = client.get(f"/office/records/{record.pk}/revoke/").content.decode()
    assert f"撤销记录「{record.document_no}」？" in page
    response = client.post(f"/office/records/{record.pk}/revoke/", {"reason": ""})
    assert response.status_code == 422 and "请填写撤销理由" in response.content.decode()
    response = client.post(
        f"/office/records/{record.pk}/revoke/",
        {"reason": "判决已被再审撤销", "expected_version": record.version},
        follow=True,
    )
    record.refresh_from_db()
    assert record.status == Status.REVOKED and "已撤销" in _messages(response)
    assert "判决已被再审撤销" in response.content.decode()  # in the history


def test_revoke_is_forbidden_outside_the_unit(world, personas, login):
    response = login(personas.dept).get(f"/office/records/{world.court_dept.pk}/revoke/")
    assert response.status_code == 403 and "只有报送单位或信用办可以撤销记录" in response.content.decode()
    response = login(personas.dept).post(f"/office/records/{world.court_dept.pk}/revoke/", {"reason": "x"})
    assert response.status_code == 403


# -- corrections under review (four-eyes) ----------------------------------------------------------


def test_correction_request_flow(world, personas, login):
    record = world.court_dept
    old_until = record.publish_until
    client = login(personas.court)
    page = client.get(f"/office/records/{record.pk}/correct/").content.decode()
    assert record.facts in page
    data = {
        "item": "court_judgment",
        "severity": "serious",
        "decided_on": record.decided_on.isoformat(),
        "decided_by": record.decided_by,
        "facts": "更正后的失信事实。",
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "reason": "判决书认定金额有误",
    }
    response = client.post(f"/office/records/{record.pk}/correct/", data, follow=True)
    req = CorrectionRequest.objects.get()
    assert req.status == CorrectionStatus.PENDING and set(req.changes) == {"severity", "facts"}
    assert "等待另一名审核人审核" in _messages(response)
    # A second request while one is pending is refused.
    response = client.post(f"/office/records/{record.pk}/correct/", {**data, "facts": "又一次"}, follow=True)
    assert "已有待审核的更正申请" in _messages(response)
    assert CorrectionRequest.objects.count() == 1

    # The requester's unit cannot approve; a reviewer sees it in the queue and on the detail page.
    assert login(personas.court).post(f"/office/records/corrections/{req.pk}/approve/").status_code == 403
    client = login(personas.reviewer)
    queue = client.get("/office/records/review/").content.decode()
    assert f"#{req.pk}" in queue and "判决书认定金额有误" in queue
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "通过更正" in page and "更正后的失信事实。" in page and 'class="diff-new"' in page
    response = client.post(f"/office/records/corrections/{req.pk}/approve/", follow=True)
    assert "已生成新版本" in _messages(response)
    record.refresh_from_db()
    req.refresh_from_db()
    assert req.status == CorrectionStatus.APPROVED and req.decided_by == personas.reviewer
    assert record.facts == "更正后的失信事实。" and record.severity == "serious"
    assert record.status == Status.PUBLISHED and record.publish_until > old_until
    assert record.versions.last().change == "correct"
    # Approving twice: someone else already decided.
    response = login(personas.reviewer2).post(f"/office/records/corrections/{req.pk}/approve/", follow=True)
    assert "已被他人处理" in _messages(response)


def test_the_requester_never_approves_their_own_correction(world, personas, login):
    record = world.court_fin
    req = services.request_correction(
        record, {"facts": "信用办更正。"}, access=personas.access(personas.office), reason="核实后更正"
    )
    client = login(personas.office)
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "由您本人提出" in page and "通过更正" not in page
    response = client.post(f"/office/records/corrections/{req.pk}/approve/")
    assert response.status_code == 403 and "不能审核自己提出的更正申请" in response.content.decode()
    response = login(personas.reviewer).post(
        f"/office/records/corrections/{req.pk}/reject/", {"reason": "证据不足"}, follow=True
    )
    req.refresh_from_db()
    assert req.status == CorrectionStatus.REJECTED and req.decision_note == "证据不足"
    record.refresh_from_db()
    assert record.facts == "财政局拖欠工程款。"


def test_correction_reject_needs_a_reason(world, personas, login):
    req = services.request_correction(
        world.court_fin, {"facts": "x。"}, access=personas.access(personas.court), reason="笔误"
    )
    response = login(personas.reviewer).post(f"/office/records/corrections/{req.pk}/reject/", {"reason": ""})
    assert response.status_code == 422 and "请填写驳回理由" in response.content.decode()


def test_bad_corrections_are_refused_at_the_field(world, personas, login):
    record = world.court_dept
    client = login(personas.court)
    base = {
        "item": "court_judgment",
        "severity": record.severity,
        "decided_on": record.decided_on.isoformat(),
        "decided_by": record.decided_by,
        "facts": record.facts,
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "reason": "更正",
    }
    response = client.post(f"/office/records/{record.pk}/correct/", base)
    assert response.status_code == 422 and "没有修改任何内容" in response.content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/office/records/{record.pk}/correct/", {**base, "decided_on": future})
    assert response.context["form"].errors["decided_on"] == ["决定日期不能晚于今天"]
    response = client.post(f"/office/records/{record.pk}/correct/", {**base, "facts": "改", "reason": ""})
    assert response.context["form"].errors["reason"] == ["请填写更正理由"]
    assert not CorrectionRequest.objects.exists()
    assert login(personas.hr).get(f"/office/records/{record.pk}/correct/").status_code == 404
    assert login(personas.dept).get(f"/office/records/{record.pk}/correct/").status_code == 403


def test_one_pending_correction_per_record_is_a_database_invariant(world, personas):
    from django.db import IntegrityError, transaction

    CorrectionRequest.objects.create(
        record=world.court_dept, requested_by=personas.court, changes={}, reason="a"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(
            record=world.court_dept, requested_by=personas.court, changes={}, reason="b"
        )


# -- history and diff ------------------------------------------------------------------------------


def test_history_versions_and_diff(world, personas, login):
    record = world.court_dept
    services.correct_record(
        record, {"facts": "第三版事实。"}, access=personas.access(personas.reviewer), reason="更正笔误"
    )
    record.refresh_from_db()
    client = login(personas.auditor)
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "处理历史" in page and "更正笔误" in page and "reviewer" in page
    assert f"第 {record.version} 版" in page
    response = client.get(f"/office/records/{record.pk}/", {"diff": f"1..{record.version}"})
    page = response.content.decode()
    assert 'class="diff-old"><del>拖欠工程款未按判决履行。' in page
    assert 'class="diff-new"><ins>第三版事实。' in page
    assert "已公示" in page  # status 草稿 → 已公示 is in the diff too
    # The picker without JavaScript, reversed order, and nonsense: never a 500.
    assert (
        client.get(f"/office/records/{record.pk}/", {"diff_a": record.version, "diff_b": 1}).status_code
        == 200
    )
    for bad in ("x", "1..99", "2..2", "..", "1..2..3"):
        assert client.get(f"/office/records/{record.pk}/", {"diff": bad}).status_code == 200


# -- review queue --------------------------------------------------------------------------------


def test_review_queue_oldest_first_with_filters(world, personas, login, record_data):
    court = personas.access(personas.court)
    newer, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕8号"),
        source_unit=personas.unit("区法院"),
        access=court,
        submit=True,
    )
    client = login(personas.reviewer)
    page = client.get("/office/records/review/").content.decode()
    assert page.index(world.hr_person.document_no) < page.index(newer.document_no)
    assert world.court_draft.document_no not in page  # drafts are not in the queue
    page = client.get("/office/records/review/", {"source_unit": personas.unit("区法院").pk}).content.decode()
    assert newer.document_no in page and world.hr_person.document_no not in page
    page = client.get("/office/records/review/", {"severity": "serious"}).content.decode()
    assert "没有符合条件的待审核记录" in page


def test_review_queue_is_for_reviewers(world, personas, login):
    response = login(personas.court).get("/office/records/review/")
    assert response.status_code == 403 and "审核队列仅供信用办审核人使用" in response.content.decode()


def test_batch_approve(world, personas, login, record_data):
    court = personas.access(personas.court)
    other, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕8号"),
        source_unit=personas.unit("区法院"),
        access=court,
        submit=True,
    )
    response = login(personas.reviewer).post(
        "/office/records/review/approve/",
        {"ids": [world.hr_person.pk, other.pk, world.court_draft.pk]},
        follow=True,
    )
    text = _messages(response)
    assert "已通过 2 条" in text and "1 条记录已被他人处理" in text
    assert CreditRecord.objects.get(pk=other.pk).status == Status.PUBLISHED
    assert CreditRecord.objects.get(pk=world.court_draft.pk).status == Status.DRAFT


# -- list filters, sorting, paging ---------------------------------------------------------------


def test_list_filters(world, personas, login):
    client = login(personas.office)

    def docs(**params):
        page = client.get("/office/records/", params).content.decode()
        return {r.document_no for r in world.all if r.document_no in page}

    assert docs(status=["draft", "submitted"]) == {
        world.court_draft.document_no,
        world.hr_other.document_no,
        world.hr_person.document_no,
    }
    assert docs(item="disciplinary_sanction") == {world.hr_person.document_no, world.hr_other.document_no}
    assert docs(severity="major") == {world.hr_person.document_no, world.hr_other.document_no}
    assert docs(source_unit=personas.unit("区人社局").pk) == {
        world.hr_person.document_no,
        world.hr_other.document_no,
    }
    assert docs(subject_kind="civil_servant") == {world.hr_person.document_no, world.hr_other.document_no}
    assert docs(q="财政局") == {world.court_fin.document_no, world.court_draft.document_no}
    assert docs(q="〔2026〕1号") == {world.court_dept.document_no, world.hr_person.document_no}
    assert docs(decided_from="2026-05-15", decided_to="2026-06-30") == {
        world.court_dept.document_no,
        world.court_fin.document_no,
        world.court_draft.document_no,
    }
    assert docs(status="bogus", expiring="abc") == {r.document_no for r in world.all}  # ignored, no 500
    until = world.court_dept.publish_until
    days = (until - timezone.localdate()).days
    assert docs(expiring=days) == {world.court_dept.document_no, world.court_fin.document_no}
    assert docs(expiring=max(days - 1, 1)) == set() or days <= 1
    client = login(personas.hr)
    assert docs(mine=1) == {world.hr_person.document_no, world.hr_other.document_no}
    client = login(personas.office)
    assert docs(mine=1) == set()


def test_list_sorts_and_keeps_filters_in_links(world, personas, login):
    client = login(personas.office)
    page = client.get("/office/records/", {"sort": "document_no", "status": "published"}).content.decode()
    assert page.index(world.court_dept.document_no) < page.index(world.court_fin.document_no)
    assert "sort=-document_no" in page and "status=published" in page
    assert 'class="sort-asc"' in page
    page = client.get("/office/records/", {"sort": "-document_no", "status": "published"}).content.decode()
    assert page.index(world.court_fin.document_no) < page.index(world.court_dept.document_no)
    assert 'href="/office/records/export/?sort=-document_no&amp;status=published"' in page


def test_list_pages_by_20_with_total_in_bounded_queries(
    personas, record_data, login, django_assert_max_num_queries, nav_queries
):
    court = personas.access(personas.court)
    for i in range(25):
        services.upsert_record(
            record_data(document_no=f"周法民〔2026〕{100 + i}号"),
            source_unit=personas.unit("区法院"),
            access=court,
        )
    client = login(personas.court)
    client.get("/office/records/")  # warm the session
    with django_assert_max_num_queries(10 + nav_queries(personas.court)):
        page = client.get("/office/records/").content.decode()
    assert "共 <strong>25</strong> 条" in page and page.count("/office/records/") >= 20
    assert "下一页" in page
    page2 = client.get("/office/records/", {"page": 2}).content.decode()
    assert page2.count("周法民〔2026〕1") == 5
    assert client.get("/office/records/", {"page": 99}).status_code == 200


def test_empty_states(personas, login):
    page = login(personas.court).get("/office/records/").content.decode()
    assert "暂无信用记录" in page and "新建记录" in page
    page = login(personas.court).get("/office/records/", {"q": "没有"}).content.decode()
    assert "没有符合条件的信用记录" in page
    page = login(personas.reviewer).get("/office/records/review/").content.decode()
    assert "暂无待审核记录" in page

"""axe-core (vendored from npm) on every portal page and each role's main back-office pages: no critical
or serious finding. Screenshots at 1280 px go to test-output/screenshots/a11y-*.png."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(publish, personas, record_data):
    from govcredit.disputes import services as disputes
    from govcredit.records import services

    records = [
        publish(document_no=f"周法民〔2026〕{n}号", facts="拖欠工程款未按判决履行。") for n in range(1, 4)
    ]
    honour, _, _ = services.upsert_record(
        record_data(item="commendation", document_no="周人社奖〔2026〕1号", facts="年度考核优秀，予以表彰。"),
        source_unit=personas.unit("区人社局"),
        access=personas.access(personas.hr),
        submit=True,
    )
    services.approve_record(honour, access=personas.access(personas.reviewer))
    case = disputes.file_objection(
        record_id=records[0].pk,
        applicant="周村区发展和改革局",
        contact="13800000000",
        reason="判决已履行完毕。",
    )
    return records, case


PORTAL_PAGES = [
    "/",
    "/search/?q=发改",
    "/records/",
    "/honours/",
    "/notices/",
    "/open-data/",
    "/ledger/",
    "/objections/new/",
    "/repairs/new/",
    "/cases/",
    "/verify-report/",
    "/reports/verify/",
    "/office/login/",
]


def test_portal_pages_have_no_serious_findings(page, content, axe, shot):
    records, _ = content
    subject = records[0].subject
    pages = [
        *PORTAL_PAGES,
        f"/subjects/{subject.uscc}/",
        f"/records/{records[0].pk}/",
        f"/repairs/new/?record={records[1].pk}",
    ]
    for url in pages:
        page.goto(url)
        axe(page)
    shot(page, "a11y-portal-repair")


def test_case_tracking_and_filed_receipt(page, content, axe):
    records, case = content
    page.goto("/cases/")
    page.get_by_label("查询码或受理编号").fill(case.tracking_code)
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("case-status").wait_for()
    axe(page)
    page.goto(f"/objections/new/?record={records[2].pk}")
    page.get_by_role("button", name="提交异议申请").click()  # every error at once, at its field
    axe(page)


OFFICE_PAGES = {
    "office": [
        "/office/",
        "/office/subjects/",
        "/office/records/",
        "/office/records/review/",
        "/office/sanctions/",
        "/office/sanctions/rectifications/",
        "/office/checks/",
        "/office/disputes/",
        "/office/disputes/stats/",
        "/office/exchange/",
        "/office/catalog/",
        "/office/system/",
    ],
    "reviewer": ["/office/", "/office/records/review/", "/office/records/"],
    "court": ["/office/", "/office/records/", "/office/records/new/", "/office/intake/", "/office/disputes/"],
    "dept": ["/office/", "/office/records/", "/office/sanctions/rectifications/"],
    "auditor": ["/office/", "/office/audit/", "/office/records/"],
}


@pytest.mark.parametrize("role", list(OFFICE_PAGES))
def test_back_office_pages_have_no_serious_findings(role, login, content, personas, axe, shot):
    page = login(getattr(personas, role), viewport={"width": 1280, "height": 900})
    records, case = content
    for url in [*OFFICE_PAGES[role], f"/office/records/{records[0].pk}/"]:
        response = page.goto(url)
        assert response.status in (200, 403), f"{url}: {response.status}"
        axe(page)
    shot(page, f"a11y-office-{role}")

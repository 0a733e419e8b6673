"""axe-core (vendored from npm) on every page a visitor or a back-office user can reach: no critical or
serious finding. The portal and each role's back office are crawled from their home page by following
links (one page per URL shape, so /records/12/ stands for every record), plus the pages only a form or a
query leads to. Screenshots at 1280 px go to test-output/screenshots/a11y-*.png."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips (or fails under GOVCREDIT_REQUIRE_BROWSER=1)
    PlaywrightError = Exception

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


#: never followed: files, exports, the API, leaving the session
SKIP = re.compile(
    r"(^/(api|static|media|admin)/)|logout|export|download|template|\.(pdf|csv|xlsx|json|zip|txt|svg|png|py)($|\?)"
)
MAX_PAGES = 150


def _shape(path: str) -> str:
    """/records/12/ and /records/13/ are one page; so are /subjects/<code>/ for every code."""
    path = re.sub(r"/[0-9A-Z]{15,20}/", "/<code>/", path)
    return re.sub(r"/\d+(?=/|$)", "/<n>", path)


def crawl(page, axe, start: list[str], inside: str, outside: tuple[str, ...] = ()) -> dict[str, int]:
    """Visit every page reachable from ``start`` under ``inside`` (not under ``outside``), run axe-core on
    each, and return {url: status}. A link that answers 404 or 500 fails like a finding."""
    origin = ""
    seen_shapes: set[str] = set()
    queue = deque(start)
    visited: dict[str, int] = {}
    broken = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        key = _shape(parts.path) + ("?" + parts.query if url in start else "")
        if key in seen_shapes:
            continue
        seen_shapes.add(key)
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a link that answers with a file
            if "Download is starting" in str(exc):
                continue
            raise
        status = response.status if response else 0
        origin = origin or urlsplit(page.url).netloc
        visited[url] = status
        if status in (404,) or status >= 500:
            broken.append(f"{url}: {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue  # a feed or a file a link offers for download
        axe(page)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href, _ = urldefrag(href)
            target = urlsplit(href)
            if target.scheme not in ("http", "https") or target.netloc != origin:
                continue
            path = target.path
            if not path.startswith(inside) or any(path.startswith(o) for o in outside):
                continue
            local = path + ("?" + target.query if target.query else "")
            if SKIP.search(local) or _shape(path) in seen_shapes:
                continue
            queue.append(local)
    assert not broken, "链接打不开：\n" + "\n".join(broken)
    print(f"axe-core: {len(visited)} pages under {inside}", *sorted(visited), sep="\n  ")
    return visited


def test_portal_pages_have_no_serious_findings(page, content, axe, shot):
    records, _ = content
    page.goto("/")
    seeds = [
        "/",
        "/search/?q=发改",
        "/cases/",
        "/verify-report/",
        "/reports/verify/",
        f"/repairs/new/?record={records[1].pk}",
        f"/objections/new/?record={records[2].pk}",
        # wave-2 apps' public pages (the portal's menu does not list them yet)
        "/bidding/blacklist/",
        "/bidding/blacklist/archive/",
        "/debt/",
        "/contracts/",
        "/arrears-disclosure/",
        "/arrears-complaints/new/",
        "/ppp/",
        "/commitments/",
    ]
    visited = crawl(page, axe, seeds, inside="/", outside=("/office/",))
    page.goto("/office/login/")
    axe(page)
    shot(page, "a11y-portal-login")
    reached = {_shape(urlsplit(u).path) for u in visited}
    for expected in ("/records/", "/records/<n>/", "/subjects/<code>/", "/ledger/", "/open-data/"):
        assert expected in reached, f"爬取未到达 {expected}：{sorted(reached)}"
    assert len(visited) >= 15, sorted(visited)


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


ROLES = ["office", "reviewer", "court", "dept", "auditor"]


@pytest.mark.parametrize("role", ROLES)
def test_back_office_pages_have_no_serious_findings(role, login, content, personas, axe, shot):
    page = login(getattr(personas, role), viewport={"width": 1280, "height": 900})
    records, case = content
    page.goto("/office/")
    seeds = ["/office/", f"/office/records/{records[0].pk}/"]
    visited = crawl(page, axe, seeds, inside="/office/", outside=("/office/login/", "/office/logout/"))
    shot(page, f"a11y-office-{role}")
    assert len(visited) >= 3, sorted(visited)


def test_audit_log_and_dashboard_charts_at_phone_width(login, content, personas, axe, shot):
    """Issue 13, points 12 and 14: the audit log reads as cards at 375 px; the 工作台 charts draw
    (a canvas with a text alternative) and pass axe."""
    page = login(personas.office, viewport={"width": 375, "height": 800})
    page.goto("/office/audit/")
    shot(page, "phone-audit")
    fits = "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth + 1)"
    assert page.evaluate(fits) and page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/office/")
    page.wait_for_function("document.querySelector('canvas[data-chart]')?.dataset.drawn === '1'")
    assert page.locator("canvas[role=img][aria-label]").count() >= 3
    shot(page, "office-charts")
    axe(page)

"""Playwright with Debian's Chromium (/usr/bin/chromium); never a downloaded browser.

Without the binary the browser tests skip, unless GOVCREDIT_REQUIRE_BROWSER=1 (CI): then they fail.
Screenshots go to test-output/screenshots/ for people to look at.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # else SynchronousOnlyOperation under Playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def _require_browser() -> bool:
    return os.environ.get("GOVCREDIT_REQUIRE_BROWSER", "") == "1"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} 不存在：请安装 Debian 的 chromium（apt-get install chromium）"
        if _require_browser():
            pytest.fail(message + "（GOVCREDIT_REQUIRE_BROWSER=1，浏览器测试不能跳过）")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if _require_browser():
            pytest.fail(f"playwright 未安装：{exc}")
        pytest.skip(f"playwright 未安装：{exc}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    ctx = browser.new_context(locale="zh-CN", base_url=live_server.url, accept_downloads=True)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def phone(browser, live_server):
    ctx = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core from npm (MPL-2.0)
BLOCKING_IMPACTS = ("critical", "serious")


@pytest.fixture
def axe():
    """``axe(page)`` runs axe-core on the page as it is and fails on any critical or serious finding,
    naming the rule, the elements and what to fix."""

    def check(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || ''))
            })))"""
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core 在 {page.url} 发现严重问题：\n" + "\n".join(
            f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in blocking
        )
        return violations

    return check


@pytest.fixture
def login(browser, live_server):
    """``login(user)`` → a page whose browser holds that user's back-office session."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_as(user, **context_options):
        client = Client()
        client.force_login(user)
        ctx = browser.new_context(locale="zh-CN", base_url=live_server.url, **context_options)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(ctx)
        return ctx.new_page()

    yield open_as
    for ctx in contexts:
        ctx.close()

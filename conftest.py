"""Shared test personas (STYLE habit 11): the credit office, a source unit's clerk, a reviewer,
a recorded department's user, an auditor and an outsider, built through the real services."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop in browser tests


def _load_reference() -> None:
    from govcredit.core import setup_hooks

    setup_hooks.run("load_defaults", log=lambda *_: None)


def _reference_loaded() -> bool:
    from govcredit.accounts.models import Organisation

    return Organisation.objects.filter(short_name="区发改局").exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every app's defaults are loaded once per test database, not once per test (they took a third
    of a second a test, a fifth of the suite): each test's transaction starts from them and rolls
    back to them. A test that must start from empty tables asks for ``empty_database``."""
    with django_db_blocker.unblock():
        _load_reference()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """A connection a test's worker thread opened and did not close yet would make PostgreSQL refuse
    to drop the test database at the end ("being accessed by other users"): end those sessions."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, browser) ends by flushing every table: put the defaults
    back for the tests after it."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(getattr(item, "fixturenames", ()))
    if transactional and nextitem is not None:
        blocker = item.session.config.stash.get(_blocker_key, None)
        if blocker is not None:
            with blocker.unblock():
                if not _reference_loaded():
                    _load_reference()


_blocker_key = pytest.StashKey[object]()


@pytest.fixture(autouse=True, scope="session")
def _remember_db_blocker(request, django_db_blocker):
    request.config.stash[_blocker_key] = django_db_blocker


@pytest.fixture
def reference(db):
    """周村区 reference units and the default catalog (and every app's defaults): loaded once per test
    database (``django_db_setup``); loaded here only when a transactional test's flush removed them."""
    if not _reference_loaded():
        _load_reference()


@pytest.fixture
def empty_database(db):
    """For the few tests about loading the defaults themselves: start from empty tables (rolled back
    with the test, so the defaults are there again for the next one)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0, allow_cascade=True)


@pytest.fixture
def personas(reference):
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.permissions import Access
    from govcredit.accounts.services import create_user

    def org(short):
        return Organisation.objects.get(short_name=short)

    def make(username, short, role, can_unmask=False):
        user = create_user(
            username,
            "pw-" + username + "-123",
            display_name=username,
            memberships=[(org(short), role, can_unmask)],
        )
        return user

    class P:
        office = make("office", "区发改局", Role.CREDIT_OFFICE, True)
        reviewer = make("reviewer", "区发改局", Role.REVIEWER)
        reviewer2 = make("reviewer2", "区发改局", Role.REVIEWER)
        court = make("court", "区法院", Role.CLERK)
        hr = make("hr", "区人社局", Role.CLERK)
        finance = make("finance", "区财政局", Role.CLERK)
        dept = make("dept", "区发改局", Role.SUBJECT_USER)
        auditor = make("auditor", "区发改局", Role.AUDITOR)
        outsider = create_user("outsider", "pw-outsider-123", display_name="outsider")

        @staticmethod
        def access(user):
            return Access.for_user(user)

        @staticmethod
        def unit(short):
            return org(short)

    return P


@pytest.fixture
def record_data():
    """A valid exchange-format row about 周村区发展和改革局, as the court would submit it."""
    from govcredit.subjects.models import Subject

    def build(**overrides):
        subject = Subject.objects.get(name="周村区发展和改革局")
        data = {
            "subject_name": subject.name,
            "subject_kind": "部门",
            "uscc": subject.uscc,
            "item": "court_judgment",
            "severity": "一般",
            "document_no": "周法民〔2026〕1号",
            "decided_on": dt.date(2026, 6, 1),
            "decided_by": "周村区人民法院",
            "facts": "拖欠工程款未按判决履行。",
            "outcome": "责令限期履行",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def publish(personas, record_data):
    """Create, submit and approve a record through the services; returns the published record."""
    from govcredit.records import services

    def do(**overrides):
        access = personas.access(personas.court)
        source = overrides.pop("source_unit", None) or personas.unit("区法院")
        record, _, _ = services.upsert_record(
            record_data(**overrides), source_unit=source, access=access, submit=True
        )
        return services.approve_record(record, access=personas.access(personas.reviewer))

    return do


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The portal's page cache and the public-data version memo must not leak between tests."""
    from django.core.cache import cache

    from govcredit.core import public_version

    cache.clear()
    public_version.forget()
    yield
    cache.clear()
    public_version.forget()


@pytest.fixture
def nav_queries():
    """How many queries the back-office navigation (every app's menu badges) costs this user, so
    page query budgets stay fixed for the page itself as wave-2 apps plug in more badges."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govcredit.accounts.permissions import Access
    from govcredit.office.registry import navigation

    def count(user) -> int:
        access = Access.for_user(user)
        with CaptureQueriesContext(connection) as captured:
            navigation(access)
        return len(captured.captured_queries)

    return count

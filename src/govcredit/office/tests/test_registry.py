"""The shell's plug-in points: every app's office.py menu, tiles and badges, found and ordered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govcredit.office import registry
from govcredit.office.registry import MenuEntry, Tile, badges_for, menu_for, navigation, tiles_for

WAVE1_APPS = {
    "govcredit.office",
    "govcredit.subjects",
    "govcredit.records",
    "govcredit.sanctions",
    "govcredit.checks",
    "govcredit.disputes",
    "govcredit.exchange",
    "govcredit.catalog",
    "govcredit.intake",
    "govcredit.accounts",
}


def keys(access) -> list[str]:
    """The wave-1 entries in navigation order (wave-2 apps plug in more entries between them)."""
    return [entry.key for app, entry in menu_for(access) if app in WAVE1_APPS]


def test_the_navigation_comes_from_the_apps_in_order(personas):
    assert keys(personas.access(personas.office)) == [
        "home",
        "subjects",
        "records",
        "review",
        "intake",
        "sanctions",
        "checks",
        "disputes",
        "exchange",
        "catalog",
        "audit",
        "system",
        "password",
    ]
    assert keys(personas.access(personas.court)) == [
        "home",
        "subjects",
        "records",
        "intake",
        "sanctions",
        "disputes",
        "catalog",
        "system",
        "password",
    ]
    apps = {app for app, _ in menu_for(personas.access(personas.office))}
    assert apps >= {
        "govcredit.office",
        "govcredit.subjects",
        "govcredit.records",
        "govcredit.sanctions",
        "govcredit.disputes",
        "govcredit.exchange",
        "govcredit.catalog",
        "govcredit.accounts",
        "govcredit.intake",
    }


def test_every_menu_entry_reverses(personas):
    for _, entry in menu_for(personas.access(personas.office)):
        assert reverse(entry.url_name).startswith("/office/")


def test_navigation_groups_entries_under_their_headings(personas):
    groups = navigation(personas.access(personas.office))
    labels = [g.label for g in groups]
    # Wave-1 headings in this order; wave-2 apps add headings of their own between them.
    wave1 = {"", "信用信息", "联合奖惩", "系统与数据"}
    assert list(dict.fromkeys(label for label in labels if label in wave1)) == [
        "",
        "信用信息",
        "联合奖惩",
        "系统与数据",
    ]
    groups = [g for g in groups if g.label in wave1]
    assert [i.entry.key for i in groups[1].items][:3] == ["subjects", "records", "review"]


def test_badges_count_the_queues_in_scope(personas, record_data):
    from govcredit.records import services

    services.upsert_record(
        record_data(),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
        submit=True,
    )
    assert badges_for(personas.access(personas.reviewer))["govcredit.records"] == {"review": 1}
    assert badges_for(personas.access(personas.court))["govcredit.records"] == {"review": 0}
    review = next(
        i for g in navigation(personas.access(personas.reviewer)) for i in g.items if i.entry.key == "review"
    )
    assert review.count == 1


def test_tiles_are_sorted_by_order_across_apps(personas, publish):
    publish()
    tiles = tiles_for(personas.access(personas.office))
    assert [t.order for t in tiles] == sorted(t.order for t in tiles)
    labels = [t.label for t in tiles]
    assert labels.index("待审核") < labels.index("整改待验收") < labels.index("待确认主体")


def test_a_tile_is_grey_when_its_queue_is_empty_and_knows_only_the_contract_tones():
    assert Tile("待审核", 0, "/office/records/review/", tone="warn").css == "zero"
    assert Tile("待审核", 3, "/office/records/review/", tone="warn").css == "warning"
    assert Tile("已驳回", 1, "/x/", tone="alert").css == "danger"
    with pytest.raises(ValueError):
        Tile("x", 1, "/x/", tone="warning")


def test_duplicate_menu_keys_are_refused(monkeypatch, personas):
    class Twice:
        @staticmethod
        def menu(access):
            return [MenuEntry("records", "重复", "records:list")]

    real = registry.app_modules
    monkeypatch.setattr(registry, "app_modules", lambda hook: [*real(hook), ("govcredit.twice", Twice)])
    with pytest.raises(ValueError, match="records"):
        menu_for(personas.access(personas.office))


def test_the_tile_and_the_badge_of_disputes_are_counted_once(personas, django_assert_num_queries):
    access = personas.access(personas.court)
    from govcredit.disputes import office as disputes_office

    disputes_office.badges(access)
    with django_assert_num_queries(0):
        assert disputes_office.tiles(access) == []
        assert disputes_office.badges(access) == {"open": 0}

"""The back-office shell's plug-in points: menu entries, 工作台 tiles and queue badges.

Each app may have ``govcredit/<app>/office.py`` with any of

- ``menu(access) -> list[MenuEntry]``  — the entries this user may open (pages still check themselves),
- ``tiles(access) -> list[Tile]``      — the app's 工作台 queue tiles for this user,
- ``badges(access) -> dict[str, int]`` — queue counters, named by ``MenuEntry.badge``,
- ``charts(access) -> list[Chart]``    — 工作台 charts (``core.charts.Chart``) of the user's scope.

The shell finds them the way ``core.setup_hooks`` finds ``setup.py`` (INSTALLED_APPS order) and
sorts by ``order``; it never names an app. See docs/ARCHITECTURE.md, "A back-office page".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govcredit.core.charts import Chart
from govcredit.core.hooks import app_modules

if TYPE_CHECKING:
    from govcredit.accounts.permissions import Access

#: Navigation headings of wave 1 and the ``order`` range their entries use; a new app picks a
#: heading of its own (any Chinese text) with orders in 100–799, or joins one of these.
GROUP_RECORDS = "信用信息"  # 10–39
GROUP_SANCTIONS = "联合奖惩"  # 40–69
GROUP_SYSTEM = "系统与数据"  # 800–999

#: the icon of an entry that names none (a dot in a circle)
DEFAULT_ICON = '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="2"/>'


@dataclass(frozen=True)
class MenuEntry:
    key: str  # unique, e.g. "commitments"; templates set context nav=<key> to highlight it
    label: str  # Chinese, e.g. "承诺践诺"
    url_name: str  # reverse() name, e.g. "commitments:list"
    order: int = 100  # position in the left navigation
    badge: str | None = None  # a key of the app's badges()
    group: str = ""  # the navigation heading it sits under, e.g. "信用信息"; "" = no heading
    icon: str = DEFAULT_ICON  # inner SVG markup (24×24 viewBox, stroke icons)
    badge_label: str = "项待办"  # read after the count by screen readers, e.g. "条待审核"


TONES = {"": "default", "warn": "warning", "alert": "danger", "ok": "ok"}


@dataclass(frozen=True)
class Tile:
    label: str  # e.g. "承诺即将到期"
    count: int
    url: str  # already reversed, with filters in the query string
    hint: str = ""
    tone: str = ""  # "" | "warn" | "alert" | "ok"
    order: int = 100

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"Tile.tone must be one of {sorted(TONES)}, got {self.tone!r}")

    @property
    def css(self) -> str:
        """The tile's colour: grey when the queue is empty, whatever its tone."""
        return TONES[self.tone] if self.count else "zero"


@dataclass(frozen=True)
class NavItem:
    entry: MenuEntry
    count: int = 0


@dataclass
class NavGroup:
    label: str
    items: list[NavItem] = field(default_factory=list)


def _hooks(name: str) -> Iterable[tuple[str, Callable[..., Any]]]:
    for app, module in app_modules("office"):
        hook = getattr(module, name, None)
        if hook is not None:
            yield app, hook


def menu_for(access: Access) -> list[tuple[str, MenuEntry]]:
    """``(app, entry)`` for every entry this user may open, in navigation order."""
    found = [(app, entry) for app, hook in _hooks("menu") for entry in hook(access)]
    keys = [entry.key for _, entry in found]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"office menu keys must be unique: {sorted(duplicates)}")
    return sorted(found, key=lambda pair: pair[1].order)


def tiles_for(access: Access) -> list[Tile]:
    """The 工作台 tiles of every app for this user, in ``order``."""
    return sorted((tile for _, hook in _hooks("tiles") for tile in hook(access)), key=lambda t: t.order)


def charts_for(access: Access) -> list[Chart]:
    """The 工作台 charts of every app for this user, in ``order``; keys must be unique."""
    charts = sorted((c for _, hook in _hooks("charts") for c in hook(access)), key=lambda c: c.order)
    keys = [c.key for c in charts]
    if len(keys) != len(set(keys)):
        raise ValueError(f"office chart keys must be unique: {sorted(keys)}")
    return charts


def badges_for(access: Access, apps: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """``{app: {badge key: count}}`` — only the apps named in ``apps`` when given."""
    wanted = None if apps is None else set(apps)
    return {app: hook(access) for app, hook in _hooks("badges") if wanted is None or app in wanted}


def navigation(access: Access) -> list[NavGroup]:
    """The left navigation: menu entries grouped under their headings, badges counted (only the
    apps whose entries show a badge are asked)."""
    entries = menu_for(access)
    counts = badges_for(access, {app for app, entry in entries if entry.badge})
    groups: list[NavGroup] = []
    for app, entry in entries:
        if not groups or groups[-1].label != entry.group:
            groups.append(NavGroup(entry.group))
        count = counts.get(app, {}).get(entry.badge, 0) if entry.badge else 0
        groups[-1].items.append(NavItem(entry, count))
    return groups


def audit_fields() -> dict[str, dict[str, str]]:
    """``{"app_label.model": {payload key: Chinese name}}`` from every app's optional
    ``office.audit_fields()``: names of audit payload keys that are not the model's own fields."""
    fields: dict[str, dict[str, str]] = {}
    for _, hook in _hooks("audit_fields"):
        for object_type, labels in hook().items():
            fields.setdefault(object_type, {}).update(labels)
    return fields


def audit_links() -> dict[str, str]:
    """``{"app_label.model": url_name}`` from every app's optional ``office.audit_links()``: the
    audit-log page links an entry to its object's back-office page (the URL takes the id)."""
    links: dict[str, str] = {}
    for _, hook in _hooks("audit_links"):
        links.update(hook())
    return links

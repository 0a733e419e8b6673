"""Public columns other apps add to 信用周村: each app declares them in ``<app>/portal.py``
(``columns() -> list[PublicColumn]``), the portal lists them on its 政务诚信公开 page and never names
the apps (the same way apps plug into the back-office shell)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from govcredit.core.hooks import app_modules

GROUPS = ("承诺与任务", "合同与债务", "依法行政", "社会监督")
"""The page's sections, in order; a column naming another group goes last under its own name."""


@dataclass(frozen=True)
class PublicColumn:
    title: str  # e.g. "承诺公示"
    url: str  # a path on the portal, already reversed
    description: str  # one line: what the public finds there and the policy section behind it
    group: str = GROUPS[0]
    order: int = 100


def public_columns() -> list[PublicColumn]:
    found: list[PublicColumn] = []
    for _name, module in app_modules("portal"):
        provide = getattr(module, "columns", None)
        if provide is not None:
            found.extend(provide())

    def rank(column: PublicColumn) -> tuple[int, str, int, str]:
        known = column.group in GROUPS
        return (
            GROUPS.index(column.group) if known else len(GROUPS),
            column.group,
            column.order,
            column.title,
        )

    return sorted(found, key=rank)


def grouped_columns() -> list[tuple[str, list[PublicColumn]]]:
    return [(group, list(items)) for group, items in groupby(public_columns(), key=lambda c: c.group)]

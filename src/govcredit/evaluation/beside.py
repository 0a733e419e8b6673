"""Ratings shown *beside* the official evaluation, never mixed into it (WAVE2 §7.5).

Hook: an app may define ``<app>/evaluation_beside.py`` with

    def beside(unit_ids: list[int], year: int) -> list[dict]:
        '''Ratings of these units (Subject ids) for that year, one dict each with the keys
        ``unit_id`` (int, a Subject id), ``agency`` (str, the rating agency's name), ``grade`` (str),
        ``score`` (str | number | None), ``method_url`` (str, the agency's method document, may be
        ""), ``published_on`` (datetime.date | str).'''

The evaluation's public unit page calls every such module (``core.hooks.app_modules("evaluation_beside")``)
and renders the rows in a separate box labelled as not part of the official evaluation. Nothing here
feeds a score, a grade, a rank or a hash. A failing provider is left out (logged), never breaking the page."""

from __future__ import annotations

import logging

from govcredit.core.hooks import app_modules

KEYS = ("unit_id", "agency", "grade", "score", "method_url", "published_on")
log = logging.getLogger(__name__)


def ratings_beside(unit_ids: list[int], year: int) -> list[dict]:
    rows: list[dict] = []
    for app, module in app_modules("evaluation_beside"):
        try:
            found = module.beside(list(unit_ids), int(year))
        except Exception:  # a third party's box must not break the official page
            log.exception("evaluation_beside provider %s failed", app)
            continue
        for row in found or []:
            if isinstance(row, dict) and row.get("unit_id") in unit_ids:
                rows.append({k: row.get(k) for k in KEYS})
    return rows

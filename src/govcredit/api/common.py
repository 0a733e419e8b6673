"""Helpers shared by the routers: text PostgreSQL can store, and one page of a query."""

from __future__ import annotations

from govcredit.core.errors import ValidationFailed
from govcredit.core.text import UNSTORABLE as _UNSTORABLE

UNSTORABLE_MESSAGE = "含有无法保存的字符（NUL 控制字符或不成对的代理字符），请检查编码"


def check_text(**values) -> None:
    """NUL and lone surrogates cannot be stored (PostgreSQL refuses them): a 422, never a 500."""
    errors = {
        k: [UNSTORABLE_MESSAGE] for k, v in values.items() if isinstance(v, str) and _UNSTORABLE.search(v)
    }
    if errors:
        raise ValidationFailed("请求含有无法保存的字符", field_errors=errors)


def page_of(qs, page: int, size: int) -> tuple[int, list]:
    """(count, the rows of 1-based ``page``); a page past the end is empty without querying its rows."""
    count = qs.count()
    offset = (page - 1) * size
    return count, list(qs[offset : offset + size]) if offset < count else []

"""The back-office navigation for every /office page: the user's unit and role, and the menu
entries (with their queue badges) that the apps declare in their ``office.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from govcredit.accounts.permissions import Access

from .registry import navigation


def office(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/office"):
        return {}
    access = Access.for_user(user)
    return {
        "current_membership": access.primary,
        # Lazy: menus and badge counts are evaluated only when a page renders the navigation.
        "office_nav": SimpleLazyObject(lambda: navigation(access)),
    }

from typing import Any

from django.http import HttpRequest


def govcredit(request: HttpRequest) -> dict[str, Any]:
    """Site settings for the portal footer (core.site; the back office adds its own: office.context_processors)."""
    from govcredit.core.site import footer

    return {"site_footer": footer()}

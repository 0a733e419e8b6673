from typing import Any

from django.conf import settings
from django.http import HttpRequest


def govcredit(request: HttpRequest) -> dict[str, Any]:
    """Site identifiers for the portal footer (the back office adds its own: office.context_processors)."""
    return {
        "site_identifier": settings.GOVCREDIT_SITE_IDENTIFIER,
        "icp_number": settings.GOVCREDIT_ICP_NUMBER,
    }

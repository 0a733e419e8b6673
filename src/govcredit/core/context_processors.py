from django.conf import settings


def govcredit(request):
    """Site identifiers for the portal footer (the back office adds its own: office.context_processors)."""
    return {
        "site_identifier": settings.GOVCREDIT_SITE_IDENTIFIER,
        "icp_number": settings.GOVCREDIT_ICP_NUMBER,
    }

from django.conf import settings


def govcredit(request):
    """Site identifiers for the portal footer, and the current user's unit and role for the top bar."""
    context = {
        "site_identifier": settings.GOVCREDIT_SITE_IDENTIFIER,
        "icp_number": settings.GOVCREDIT_ICP_NUMBER,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and request.path.startswith("/office"):
        from govcredit.accounts.permissions import Access

        context["current_membership"] = Access.for_user(user).primary
    return context

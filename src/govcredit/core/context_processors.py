from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _nav_counts(access) -> dict[str, int]:
    """The red counters in the back-office navigation: records to review, dispute cases open."""
    from govcredit.disputes.models import OPEN_STATUSES
    from govcredit.disputes.services import cases_for
    from govcredit.records.models import Status
    from govcredit.records.selectors import records_for

    return {
        "review": records_for(access).filter(status=Status.SUBMITTED).count() if access.can_review() else 0,
        "disputes": cases_for(access).filter(status__in=OPEN_STATUSES).count() if access.memberships else 0,
    }


def _nav_visible(access) -> dict[str, bool]:
    """Which navigation entries lead somewhere for this user (the pages still check for themselves)."""
    from govcredit.sanctions.checks import may_view_checks

    return {
        "review": access.can_review(),
        "checks": may_view_checks(access),
        "exchange": access.sees_everything,
        "audit": access.can_read_audit(),
        "catalog": True,
        "system": True,
    }


def govcredit(request):
    """Site identifiers for the portal footer; the user's unit, role and queue counters for the back office."""
    context = {
        "site_identifier": settings.GOVCREDIT_SITE_IDENTIFIER,
        "icp_number": settings.GOVCREDIT_ICP_NUMBER,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and request.path.startswith("/office"):
        from govcredit.accounts.permissions import Access

        access = Access.for_user(user)
        context["current_membership"] = access.primary
        # Lazy: evaluated only when a page renders the navigation.
        context["nav_counts"] = SimpleLazyObject(lambda: _nav_counts(access))
        context["nav_visible"] = SimpleLazyObject(lambda: _nav_visible(access))
    return context

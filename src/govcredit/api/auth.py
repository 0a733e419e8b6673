"""Bearer-token authentication for the API (tokens from ``govcredit token create``)."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer

from govcredit.accounts.models import ApiToken
from govcredit.accounts.permissions import Access
from govcredit.core.crypto import sm3_hex


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(digest=sm3_hex(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        # Touch last-used at most once a minute, so hot clients don't write on every call.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.access = Access.for_user(api_token.user)
        return api_token


def access_of(request) -> Access:
    return getattr(request, "access", None) or Access.for_user(request.user)

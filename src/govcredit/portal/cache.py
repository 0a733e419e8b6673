"""Whole-page cache for the public portal, keyed by the public-data version (core.public_version).

Only anonymous GET/HEAD answers with status 200/404/410 and no cookies are cached; a change the public
can see bumps the version, so no page outlives it by more than the one-second memo.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from govcredit.core import public_version

TTL_SECONDS = 300
CACHEABLE = {200, 404, 410}
# Bounded memory: the local cache keeps GOVCREDIT_CACHE_ENTRIES pages per worker (3,000 by default), and
# oversized answers (big JSON pages of the ledger) are not kept at all.
MAX_BODY_BYTES = 256 * 1024


def _key(request) -> str:
    # The host is part of the key: pages carry absolute links built from it (core.site).
    raw = f"{translation.get_language()}|{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"portal:{public_version.current()}:{digest}"


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            status, content_type, body = hit
            response = HttpResponse(body, status=status, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code in CACHEABLE
            and not response.cookies
            and not getattr(response, "streaming", False)
            and not response.has_header("Location")
            and len(response.content) <= MAX_BODY_BYTES
        ):
            cache.set(key, (response.status_code, response["Content-Type"], response.content), TTL_SECONDS)
        return response

    return wrapper


PUBLIC_API_PREFIXES = ("/api/v1/public/subjects", "/api/v1/public/records", "/api/v1/public/ledger")


class PublicApiCacheMiddleware:
    """The same cache for the public read API (never for case tracking, which is rate-limited and private)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cached = public_page(get_response)

    def __call__(self, request):
        if request.path.startswith(PUBLIC_API_PREFIXES):
            return self.cached(request)
        return self.get_response(request)

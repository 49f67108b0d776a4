"""Who calls the public API, and how often they may.

Anyone may read it without a key (one client per IP address: the proxy in front must
set ``REMOTE_ADDR`` to the caller's, as for the pickup keypad's limits). A partner the
town gave a key (``HALLE_PUBLIC_API_KEYS``) sends it as ``X-Api-Key`` and gets its own,
larger, allowance. No cookie and no session are read: nothing here acts for a person.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from marketplace.core.rate_window import rate_window_hit
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import BaseThrottle

from shops.api.errors import ApiError

HEADER = "X-Api-Key"


class PublicClient:
    """``request.user`` of a public call: an address or a partner's key, not a person."""

    is_authenticated = False
    is_anonymous = True
    is_staff = False
    pk = None

    def __init__(self, *, ident: str, keyed: bool):
        self.ident, self.keyed = ident, keyed

    def __str__(self) -> str:
        return self.ident


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "").strip()[:45] or "inconnue"


class ApiKeyAuthentication(BaseAuthentication):
    """An optional ``X-Api-Key``; a key the town did not give is refused (401), not ignored."""

    def authenticate(self, request):
        raw = request.headers.get(HEADER, "").strip()
        if not raw:
            return PublicClient(ident=f"ip:{client_ip(request)}", keyed=False), None
        if not any(hmac.compare_digest(raw.encode(), key.encode()) for key in settings.HALLE_PUBLIC_API_KEYS):
            error = ApiError(
                "Clé d'API inconnue : vérifiez l'en-tête X-Api-Key, ou appelez l'API sans clé (débit réduit).",
                code="unknown_api_key", status_code=401,
            )
            error.auth_header = f'{HEADER} realm="halle"'
            raise error
        return PublicClient(ident=f"key:{_digest(raw)}", keyed=True), None

    def authenticate_header(self, request):
        return f'{HEADER} realm="halle"'


class PublicThrottled(exceptions.Throttled):
    client_label = "ce client"


class PublicRateThrottle(BaseThrottle):
    """A fixed window per client: ``HALLE_PUBLIC_API_RATE_LIMIT`` requests (by IP) or
    ``HALLE_PUBLIC_API_KEY_RATE_LIMIT`` (by key) per ``HALLE_PUBLIC_API_RATE_WINDOW`` seconds,
    counted in the shared cache (Redis ``INCR``) so that every web process agrees."""

    def allow_request(self, request, view) -> bool:
        client = request.user
        limit = settings.HALLE_PUBLIC_API_KEY_RATE_LIMIT if client.keyed else settings.HALLE_PUBLIC_API_RATE_LIMIT
        count, self._wait = rate_window_hit(key_prefix=f"public-api-rate:{_digest(client.ident)}",
                                            window=settings.HALLE_PUBLIC_API_RATE_WINDOW)
        return count <= limit

    def wait(self) -> float:
        return self._wait

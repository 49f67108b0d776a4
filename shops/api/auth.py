"""Who is calling the API (a shop's token), what it may do, and how often.

No session, no cookie: a till sends ``Authorization: Bearer <jeton>``, so there
is no CSRF to guard against and a merchant's browser session opens nothing here.
"""
from __future__ import annotations


from django.conf import settings
from marketplace.core.rate_window import rate_window_hit
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import BaseThrottle

from shops.api.errors import ApiError
from shops.api.tokens import api_token_get
from shops.models import ApiToken, ShopStatus


class TokenClient:
    """``request.user`` of an API call: the till behind a token, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    pk = None

    def __init__(self, token: ApiToken):
        self.token = token
        self.shop = token.shop

    def __str__(self) -> str:
        return f"jeton {self.token.prefix}… ({self.shop})"


def _unauthorized(detail: str, code: str) -> ApiError:
    error = ApiError(detail, code=code, status_code=401)
    error.auth_header = 'Bearer realm="halle"'
    return error


class ShopTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        raw = raw.strip()
        if scheme.lower() not in ("bearer", "token") or not raw:
            raise _unauthorized("En-tête Authorization invalide : « Bearer <jeton> » attendu.", "bad_authorization_header")
        token = api_token_get(raw=raw)
        if token is None:
            raise _unauthorized("Jeton inconnu : vérifiez qu'il est complet, ou créez-en un dans l'espace commerçant.", "unknown_token")
        if token.revoked_at is not None:
            raise _unauthorized("Ce jeton a été révoqué : créez-en un nouveau dans l'espace commerçant.", "revoked_token")
        return TokenClient(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="halle"'


class HasShopToken(BasePermission):
    """A valid token is required; a suspended shop may read but not write."""

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated()
        if request.method not in SAFE_METHODS and request.auth.shop.status == ShopStatus.SUSPENDED:
            raise ApiError(
                "Commerce suspendu par le centre-ville : lecture seule, aucune modification possible.",
                code="shop_suspended", status_code=403,
            )
        return True


class TokenRateThrottle(BaseThrottle):
    """``HALLE_API_RATE_LIMIT`` requests per ``HALLE_API_RATE_WINDOW`` seconds per token (fixed window).

    The counter is one cache key per token and window, incremented atomically
    (Redis ``INCR``), so every web process shares it.
    """

    def allow_request(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        count, self._wait = rate_window_hit(key_prefix=f"shops-api-rate:{token.pk}", window=settings.HALLE_API_RATE_WINDOW)
        return count <= settings.HALLE_API_RATE_LIMIT

    def wait(self) -> float:
        return self._wait

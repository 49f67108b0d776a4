"""Response headers every page gets: the browser features it may use, and no copy kept of a
page that shows someone's data.

- ``PermissionsPolicyMiddleware``: a ``Permissions-Policy`` header from
  ``HALLE_PERMISSIONS_POLICY`` (no camera, microphone, position… for any page or
  frame; card payment only for us and Stripe's frame).
- ``PrivatePagesMiddleware``: a page rendered for a signed-in person, or for a
  visitor whose session holds something (a guest's checkout), is sent with
  ``Cache-Control: no-store`` (Django's ``add_never_cache_headers``): no browser
  or proxy keeps a copy of an order, a pickup code, an address or a name for the
  next person at a shared computer to find with the back button. Pages reached by
  a secret link without any session (the order status page with its code and QR
  code, a staff invitation) say so themselves with ``never_cache``.

The Content-Security-Policy itself is django-csp's (``CONTENT_SECURITY_POLICY`` in
the settings); ``csp_nonce`` below gives templates the nonce of the one inline
script that needs it (Oscar's page-specific ``onbodyload`` code in ``base.html``).
"""
from __future__ import annotations

import base64
import hashlib

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _source_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, with one exception: Oscar's dashboard and the Django admin (the town's
    staff only) keep the inline styles of their own templates and editor (TinyMCE), and the
    few fixed "cancel" handlers of Oscar's catalogue forms (allowed by hash, nothing else).
    Scripts stay nonce-only there too."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        if match is not None and ("dashboard" in match.namespaces or "admin" in match.namespaces):
            handlers = [_source_hash(source) for source in settings.HALLE_CSP_STAFF_INLINE_HANDLERS]
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"],
                            "script-src-attr": ["'unsafe-hashes'", *handlers]}
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "payment": ["self", "https://js.stripe.com"]}`` →
    ``camera=(), payment=(self "https://js.stripe.com")``."""
    def allow(origins: list[str]) -> str:
        return " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allow(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.HALLE_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def shows_private_data(request) -> bool:
    """Whether the page was rendered for someone in particular: signed in, or with a session
    holding data (a guest's checkout, a guest's order e-mail)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return session is not None and not session.is_empty()


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on every page rendered for someone in particular."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", "") and shows_private_data(request):
            add_never_cache_headers(response)
        return response


def csp_nonce(request) -> dict:
    """``{{ csp_nonce }}``: this response's nonce (django-csp's, generated on first use and
    then put in the header), "" where no CSP middleware runs. A page kept by the page cache
    is rendered with ``NONCE_MARKER`` instead and gets each visitor's own nonce on serving."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}

"""Whole pages for anonymous visitors without a session, kept in the cache.

Most product page views come from people arriving from a link (a shared product,
a search engine, the town's newsletter): no session, no basket, no message; and
a guest's basket page is a function of their basket alone. Such a page is the
same HTML for every visitor in that state, except the CSRF token of its forms and
the Content-Security-Policy nonce of its inline script. It is stored once with
markers in their place and served with the visitor's own token and a fresh nonce
(the one in the response's header), for the cost of one small query and two cache
reads instead of the page's queries and its rendering.

The key says everything the page shows, so a stale page is never served and
nothing needs invalidating:

- a signature: a digest, computed by PostgreSQL in one call, of every row the
  page reads (``product_page_signature``, ``basket_page_signature``);
- the versions of the cache namespaces the domains registered (``core.registry``:
  the category menu of every page, the breadcrumb);
- the minute, because "ouvert maintenant" and offers' dates follow the clock;
- the language, the path, and a digest of the project's templates (a deploy that
  changes a template never serves pages rendered by the old one).

A visitor with a session (an account, messages kept there) or a message cookie
gets the page rendered. On SQLite (the demo) there is no signature and nothing
is cached.
"""
from __future__ import annotations

import functools
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import get_language

from marketplace.core.cache import namespace_version
from marketplace.core.registry import page_cache_namespaces

PAGE_TTL = 10 * 60
CSRF_MARKER = "halle-csrf-token-marker"  # also in cached product cards (catalogue/cards.py)
NONCE_MARKER = "halle-csp-nonce-marker"


def page_cache_applies(request: HttpRequest, *, with_basket: bool = False, params: tuple[str, ...] = ()) -> bool:
    """Whether the visitor sees what any visitor in the same state sees: no session, no
    message, a guest basket cookie exactly when ``with_basket``, and no query parameter
    but ``params`` (each given once), which the page's key then carries."""
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name not in params or len(request.GET.getlist(name)) != 1 for name in request.GET):
        return False
    if any(request.COOKIES.get(name) for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)):
        return False
    return bool(request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)) == with_basket


def guest_basket_id(request: HttpRequest) -> int | None:
    """The id in the visitor's signed basket cookie, without reading the database."""
    try:
        return int(Signer().unsign(request.COOKIES[settings.OSCAR_BASKET_COOKIE_OPEN]))
    except (KeyError, BadSignature, ValueError):
        return None


def with_visitor_token(html: str, request: HttpRequest) -> str:
    """Cached HTML with the visitor's own CSRF token where ``CSRF_MARKER`` stands, and this
    response's CSP nonce where ``NONCE_MARKER`` does (a nonce is never served twice)."""
    html = html.replace(CSRF_MARKER, escape(get_token(request)))
    if NONCE_MARKER in html:
        html = html.replace(NONCE_MARKER, escape(str(getattr(request, "csp_nonce", ""))))
    return html


@functools.lru_cache(maxsize=1)
def templates_digest() -> str:
    """A digest of the project's templates, read once per process: cached HTML keyed
    with it is never served by a deploy whose templates changed."""
    digest = hashlib.sha1(usedforsecurity=False)
    roots = [Path(d) for config in settings.TEMPLATES for d in config.get("DIRS", [])]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_cache_key(*, request: HttpRequest, signature: str, params: tuple[str, ...] = ()) -> str:
    """The key of the page: the path and the values of the query parameters ``params``
    it depends on (the product page's chosen shop), with everything the module says."""
    minute = int(time.time() // 60)
    versions = ":".join(str(namespace_version(name)) for name in page_cache_namespaces.names())
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in sorted(params))
    parts = f"{templates_digest()}:{get_language()}:{request.path}?{query}:{signature}:{versions}:{minute}"
    return "page:" + hashlib.sha1(parts.encode(), usedforsecurity=False).hexdigest()


def database_row(sql: str, params: list) -> tuple | None:
    """The row a signature query returns on PostgreSQL; None on another database (the
    SQLite demo has no signature functions)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def database_signature(function: str, key: int, *args) -> str | None:
    """What PostgreSQL function ``function`` returns for the row ``key`` (an integer
    primary key) and ``args``: None on another database or for an impossible key."""
    if not 0 < key <= 2**31 - 1:
        return None
    row = database_row(f"SELECT {function}(%s{', %s' * len(args)})", [key, *args])
    return row[0] if row else None


def page_cached_response(*, request: HttpRequest, key: str) -> HttpResponse | None:
    html = cache.get(key)
    if html is None:
        return None
    response = HttpResponse(with_visitor_token(html, request))
    patch_vary_headers(response, ("Cookie",))
    return response


def page_cache_store(*, request: HttpRequest, key: str, response) -> None:
    """Keep a rendered page (rendered with ``CSRF_MARKER`` as its token), then give
    the visitor's own token to the response."""
    html = response.content.decode(response.charset)
    cache.set(key, html, PAGE_TTL)
    response.content = with_visitor_token(html, request)
    patch_vary_headers(response, ("Cookie",))


class WholePageCacheMixin:
    """For a view's GET: serve the page from the cache when the visitor qualifies, else
    render it and keep it. Each view says what its page depends on in ``page_signature()``:
    a digest of those rows, or None to render the page without the cache. A view class
    without it is refused when it is defined, not on its first request."""

    page_cache_with_basket = False
    #: Query parameters the page depends on: the page is cached per value (others: not cached).
    #: ``page_still_cacheable`` should refuse values the page did not recognise.
    page_cache_params: tuple[str, ...] = ()
    page_cache_key = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "page_signature", None)):
            raise TypeError(f"{cls.__qualname__} : définissez page_signature(), ce dont dépend la page mise en cache")

    def page_still_cacheable(self) -> bool:
        """Checked once the page is rendered (the request's objects are loaded by then)."""
        return True

    def get(self, request, *args, **kwargs):
        if page_cache_applies(request, with_basket=self.page_cache_with_basket, params=self.page_cache_params):
            signature = self.page_signature()
            if signature is not None:
                self.page_cache_key = page_cache_key(request=request, signature=signature, params=self.page_cache_params)
                cached = page_cached_response(request=request, key=self.page_cache_key)
                if cached is not None:
                    return cached
        response = super().get(request, *args, **kwargs)
        if self.page_cache_key and response.status_code == 200:
            # Stored once rendered, after the middleware had their say on the context.
            response.add_post_render_callback(self._page_store)
        return response

    def _page_store(self, response) -> None:
        if self.page_still_cacheable():
            page_cache_store(request=self.request, key=self.page_cache_key, response=response)

    def render_to_response(self, context, **response_kwargs):
        if self.page_cache_key:
            context["csrf_token"] = CSRF_MARKER  # the visitor's own token is put back on serving
            context["csp_nonce"] = NONCE_MARKER  # and a nonce of their own
        return super().render_to_response(context, **response_kwargs)

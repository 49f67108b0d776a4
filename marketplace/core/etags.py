"""Conditional GET for generated documents (feeds, the public API): strong ETags derived from
the data itself, so a document is never stale and nothing needs invalidating.

The ETag is a digest of everything the document is made of; ``Last-Modified`` is when
this process's cache first saw that digest (the content has not changed since), so a
client that only sends ``If-Modified-Since`` is never told « unchanged » about a new
document. A lost cache entry only moves the date later (one extra full answer).
"""
from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

SEEN_TTL = 7 * 24 * 3600


def etag_of(*parts) -> str:
    """A strong ETag (quoted) of ``parts``, compared by their ``repr``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return f'"{digest.hexdigest()[:32]}"'


def first_seen(etag: str) -> int:
    """When the document with ``etag`` was first served (seconds since the epoch)."""
    key = f"etag-seen:{etag.strip(chr(34))}"
    now = int(time.time())
    cache.add(key, now, timeout=SEEN_TTL)
    return int(cache.get(key) or now)


def validators_set(response: HttpResponse, *, etag: str, last_modified: int, cache_control: str) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control
    return response


def not_modified(request: HttpRequest, *, etag: str, last_modified: int, cache_control: str) -> HttpResponse | None:
    """A 304 (or 412) answer when the client's copy is current, else None."""
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        return None
    return validators_set(response, etag=etag, last_modified=last_modified, cache_control=cache_control)

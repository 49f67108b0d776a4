"""Compare two rendered pages byte for byte, but for what differs per response by design.

The CSRF token and the Content-Security-Policy nonce are drawn afresh for every response;
a test proving that two answers reveal nothing different (an unknown code and another point's
code, a known and an unknown account) strips exactly those and nothing else.
"""
from __future__ import annotations

import re

_PER_RESPONSE = (
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r'nonce="[^"]+"'),
)


def page_without_per_response_tokens(response) -> str:
    page = response.content.decode()
    for pattern in _PER_RESPONSE:
        page = pattern.sub("", page)
    return page

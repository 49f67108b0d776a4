"""Sanitising merchant-written HTML (shop descriptions) before it reaches a page.

Merchants are not trusted to write HTML: only a few formatting tags and plain
links survive; scripts, styles, event handlers, ``javascript:`` URLs and any
other markup are removed by ``nh3`` (the Rust ``ammonia`` sanitiser).
"""
from __future__ import annotations

import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Links written by merchants: no referrer, no SEO endorsement, no window.opener.
LINK_REL = "nofollow noopener noreferrer ugc"

_TAG = re.compile(r"<[a-zA-Z/!]")


def html_sanitise(*, html: str) -> str:
    """Return ``html`` with only p, br, strong, em, ul, ol, li and a[href] kept.

    Text written without any tag keeps its paragraphs and line breaks (they
    become ``<p>`` and ``<br>``), so a plain-text description still reads well.
    """
    if not html:
        return ""
    if not _TAG.search(html):
        html = linebreaks(html, autoescape=True)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        # "*": no attribute on every tag (ammonia would otherwise keep lang and title).
        attributes={"*": set()} | {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


_TAG_NAME = re.compile(r"<\s*/?\s*([a-zA-Z0-9]+)")


def html_as_plain_text(*, html: str) -> str | None:
    """Paragraphs and line breaks only → the text a merchant would type (blank line between
    paragraphs); ``None`` when the HTML holds other formatting, to be edited as it is.

    ``html_sanitise`` turns that text back into the same paragraphs.
    """
    import html as html_lib

    if not html:
        return ""
    if {name.lower() for name in _TAG_NAME.findall(html)} - {"p", "br"}:
        return None
    paragraphs = re.split(r"</p>\s*", html)
    texts = []
    for paragraph in paragraphs:
        paragraph = re.sub(r"<br\s*/?>\s*", "\n", re.sub(r"<p[^>]*>", "", paragraph))
        paragraph = html_lib.unescape(paragraph).strip()
        if paragraph:
            texts.append(paragraph)
    return "\n\n".join(texts)

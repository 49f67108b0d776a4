"""Reading a page's schema.org data as a search engine does: extruct parses every JSON-LD block."""
from __future__ import annotations

import extruct


def json_ld_items(response, *, url: str = "http://testserver/") -> list[dict]:
    """Every JSON-LD item of ``response``'s page, items of an ``@graph`` flattened."""
    assert response.status_code == 200, response.status_code
    data = extruct.extract(response.content.decode(), base_url=url, syntaxes=["json-ld"])["json-ld"]
    items = []
    for block in data:
        items += block.get("@graph", [block])
    return items


def json_ld_of_type(response, kind: str, *, url: str = "http://testserver/") -> dict:
    """The one item of type ``kind`` on the page (fails when there is none or several)."""
    (item,) = [item for item in json_ld_items(response, url=url) if item.get("@type") == kind]
    return item

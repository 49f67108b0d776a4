"""Every page of every role fits a 390 px phone: no sideways scrolling, no element sticking out
of the screen, and no « (s) » plural. The pages are all those of the URL resolver that each role
can open (tests/e2e/site_walk.py), with objects of each kind built by the factories.

Set HALLE_SCREENSHOTS=<folder> to keep a screenshot of every page visited."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.site_walk import (
    OVERFLOW_JS,
    PLURAL_JS,
    page_label,
    role_pages,
    session_cookie,
    town_for_walk,
    walk_urls,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_every_page_of_every_role_fits_a_390_px_phone(browser, live_server):
    town = town_for_walk()
    pages, unfilled = walk_urls(town)
    assert unfilled == [], "adresses sans objets pour leurs paramètres (à remplir ou à exclure avec la raison) :\n" + "\n".join(unfilled)
    opened, problems = role_pages(town, pages)
    assert problems == [], "\n".join(problems)
    shots = os.environ.get("HALLE_SCREENSHOTS")

    failures, visited = [], 0
    for role, role_list in opened.items():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                      viewport=PHONE)
        context.add_cookies(session_cookie(town.users[role], live_server.url))
        page = context.new_page()
        for target in role_list:
            page.goto(target.url, wait_until="load")
            visited += 1
            overflow = page.evaluate(OVERFLOW_JS)
            if overflow["scrollWidth"] > PHONE["width"] or overflow["innerWidth"] != PHONE["width"] or overflow["elements"]:
                more = f" … et {overflow['more']} autres" if overflow["more"] else ""
                failures.append(f"{role} {target.url} : {overflow['scrollWidth']} px de large pour "
                                f"{overflow['innerWidth']} px\n    " + "\n    ".join(overflow["elements"]) + more)
            plurals = page.evaluate(PLURAL_JS)
            if plurals:
                failures.append(f"{role} {target.url} : pluriel en « (s) » : {', '.join(plurals)}")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(shots) / f"phone-{page_label(role, target)}.png"), full_page=True)
        context.close()

    print(f"\n{visited} pages visited at 390 px for {len(opened)} roles")
    assert failures == [], f"{len(failures)} pages trop larges pour un téléphone de 390 px :\n" + "\n".join(failures)

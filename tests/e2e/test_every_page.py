"""Every page of every role, in one walk of headless Chromium: it fits a 390 px phone (no
sideways scrolling, no element sticking out, no « (s) » plural) and axe-core finds no serious
or critical violation of the WCAG 2.2 A/AA rules, on a phone and on a desktop, in French.

The pages are all those of the URL resolver each role can open (tests/e2e/site_walk.py), with
objects of each kind built by the factories. A page several roles open is visited once, by the
first of ``ROLES`` that opens it (anonymous visitor first), except the home page, visited by
every role: each role's header is checked there. axe-core is the npm registry's, pinned in
package-lock.json and installed by scripts/services.sh.

Set HALLE_SCREENSHOTS=<folder> to keep a phone screenshot of every page visited.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.site_walk import (
    OVERFLOW_JS,
    PLURAL_JS,
    ROLES,
    page_label,
    role_pages,
    session_cookie,
    town_for_walk,
    walk_urls,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PHONE = VIEWPORTS["phone"]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join(""))}));
}
"""


def _overflow_problems(page, role: str, url: str) -> list[str]:
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scrollWidth"] > PHONE["width"] or overflow["innerWidth"] != PHONE["width"] or overflow["elements"]:
        more = f" … et {overflow['more']} autres" if overflow["more"] else ""
        problems.append(f"{role} {url} : {overflow['scrollWidth']} px de large pour "
                        f"{overflow['innerWidth']} px\n    " + "\n    ".join(overflow["elements"]) + more)
    plurals = page.evaluate(PLURAL_JS)
    if plurals:
        problems.append(f"{role} {url} : pluriel en « (s) » : {', '.join(plurals)}")
    return problems


def test_every_page_of_every_role_fits_a_phone_and_has_no_serious_axe_violation(browser, live_server):
    assert AXE.exists(), "axe-core manque : lancez « npm ci » (scripts/services.sh le fait)"
    town = town_for_walk()
    pages, unfilled = walk_urls(town)
    assert unfilled == [], ("adresses sans objets pour leurs paramètres (à remplir ou à exclure avec la raison) :\n"
                            + "\n".join(unfilled))
    opened, problems = role_pages(town, pages)
    assert problems == [], "\n".join(problems)
    shots = os.environ.get("HALLE_SCREENSHOTS")

    too_wide, violations, by_rule, seen, visits = [], [], Counter(), set(), 0
    for role in ROLES:
        # bypass_csp: the site's policy (no inline script without the response's nonce) would
        # refuse the injected axe-core; the policy itself is tested in test_security_headers.
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                      viewport=PHONE, bypass_csp=True)
        context.add_cookies(session_cookie(town.users[role], live_server.url))
        page = context.new_page()
        for target in opened[role]:
            if target.url in seen and target.url != "/":
                continue
            seen.add(target.url)
            visits += 1
            page.set_viewport_size(PHONE)
            page.goto(target.url, wait_until="load")
            too_wide += _overflow_problems(page, role, target.url)
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(shots) / f"phone-{page_label(role, target)}.png"), full_page=True)
            page.add_script_tag(path=str(AXE))
            for viewport, size in VIEWPORTS.items():
                page.set_viewport_size(size)
                for violation in page.evaluate(AXE_RUN, AXE_TAGS):
                    by_rule[f"{violation['id']} ({violation['impact']})"] += len(violation["nodes"])
                    violations.append(f"{role} {viewport} {target.url} : {violation['id']} ({violation['impact']}) "
                                      f"{violation['help']}\n      " + "\n      ".join(violation["nodes"][:5]))
        context.close()

    print(f"\n{visits} pages visited for {len(ROLES)} roles, each at 390 px and 1280 px; axe-core serious or "
          "critical violations by rule: " + (", ".join(f"{rule} {n}" for rule, n in by_rule.most_common()) or "none"))
    assert too_wide == [], f"{len(too_wide)} pages trop larges pour un téléphone de 390 px :\n" + "\n".join(too_wide)
    assert violations == [], f"{sum(by_rule.values())} violations graves ou critiques :\n" + "\n".join(violations)

"""The site opens in a real browser: French home page, styled, without JavaScript errors."""
from __future__ import annotations

import re

import pytest

from marketplace.demo.town import town_seed
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_chromium_in_french_with_the_town_shops(page):
    town_seed(shops=3, products=20, seed=1, images=False)

    response = page.goto("/")

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Les commerces de" in page.locator("h1").first.inner_text()
    assert page.get_by_role("heading", name="Nos commerces").is_visible()
    page.screenshot(path=str(screenshot_path("home")), full_page=True)
    # The stylesheets are served: Halle's stylesheet paints the add-to-basket buttons
    # a darker blue than Bootstrap's (white text at 5.8:1, WCAG AA).
    button = page.get_by_role("button", name="Ajouter au panier").first
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 98, 204)"
    assert page.js_errors == []


def test_search_box_leads_to_french_results(page):
    town_seed(shops=3, products=20, seed=1, images=False)
    page.goto("/")

    page.locator("input[name=q]").first.fill("pain")
    page.locator("input[name=q]").first.press("Enter")

    page.wait_for_url(re.compile(r"/search/\?q=pain"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "pain" in page.locator("h1").first.inner_text().lower()

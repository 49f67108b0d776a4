"""Automated accessibility checks, on a phone and on a desktop.

The axe-core audit of every page of every role is in test_every_page.py (one walk with the
phone-layout check); here, Halle's own checks of the storefront.

Not a full RGAA audit: what a machine can check reliably on every page — a language,
one h1, the landmarks, a skip link that reaches the main content, a text alternative
on every image, a label on every form field, a name on every button and link, no
duplicate ids, a visible keyboard focus, and WCAG AA contrast of the text shown.
Full-page screenshots of each page and viewport go to test-artifacts/screenshots.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.e2e.conftest import screenshot_path
from tests.factories import (
    CategoryFactory,
    OpeningPeriodFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Runs in the page; returns a list of human-readable problems (empty when all is well).
AUDIT_JS = r"""
() => {
  const problems = [];
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  const describe = (el) => el.outerHTML.slice(0, 140);
  const accessibleText = (el) =>
    (el.getAttribute("aria-label") || "") +
    (el.getAttribute("aria-labelledby") || "").split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join(" ") +
    (el.textContent || "") +
    Array.from(el.querySelectorAll("img[alt]")).map((img) => img.alt).join(" ") +
    (el.getAttribute("title") || "") + (el.value && el.type !== "text" ? el.value : "");

  if (document.documentElement.lang !== "fr") problems.push("html lang is " + document.documentElement.lang);
  const h1s = Array.from(document.querySelectorAll("h1")).filter(visible);
  if (h1s.length !== 1) problems.push(`${h1s.length} visible h1`);
  for (const [selector, name] of [["header", "banner"], ["nav", "navigation"], ["main", "main"], ["footer", "contentinfo"]]) {
    if (!document.querySelector(selector)) problems.push(`no ${name} landmark (${selector})`);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main");
  const skip = document.querySelector("body a");
  if (!skip || skip.getAttribute("href") !== "#contenu" || !document.getElementById("contenu"))
    problems.push("the first link is not a skip link to #contenu");

  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("img without alt: " + describe(img));
  }
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "image", "reset"].includes(field.type) || !visible(field)) continue;
    const labelled =
      (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) ||
      field.closest("label") || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby");
    if (!labelled) problems.push("field without label: " + describe(field));
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    if (!visible(el) || el.getAttribute("aria-hidden") === "true") continue;
    if (!accessibleText(el).trim()) problems.push("link or button without a name: " + describe(el));
  }
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id "${id}" used ${n} times`);

  // Contrast of every visible element that holds text of its own.
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(",").map((x) => parseFloat(x));
    return [r, g, b, a === undefined ? 1 : a];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg[3] > 0.9) return bg;
      if (getComputedStyle(node).backgroundImage !== "none") return null;  // cannot tell
    }
    return [255, 255, 255, 1];
  };
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !visible(el) || ["SCRIPT", "STYLE", "OPTION"].includes(el.tagName)) continue;
    if (el.closest("[disabled], .disabled, .sr-only, [aria-hidden='true']")) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    const bg = background(el);
    if (!fg || !bg) continue;
    const alpha = fg[3];
    const mixed = [0, 1, 2].map((i) => fg[i] * alpha + bg[i] * (1 - alpha));
    const [l1, l2] = [lum(mixed), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const key = `${el.tagName}.${el.className}:${style.color}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(`contrast ${ratio.toFixed(2)}:1 < ${large ? 3 : 4.5}: ` + describe(el));
      }
    }
  }
  return problems;
}
"""




@pytest.fixture
def town():
    shops = [
        ShopFactory(name="Maison Muller", slug="maison-muller"),
        ShopFactory(name="La Mie Gourmet", slug="la-mie-gourmet"),
        ShopFactory(name="Fromagerie Dubois", slug="fromagerie-dubois", trade="fromagerie"),
    ]
    for shop in shops:
        for weekday in range(7):
            OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(0, 0), closes=dt.time(23, 59))
    food = CategoryFactory(name="Alimentation", slug="alimentation")
    bread = CategoryFactory(name="Pains", slug="pains", parent=food)
    baguette = ProductFactory(title="Baguette tradition", categories=[bread])
    StockRecordFactory(product=baguette, shop=shops[0], price=Decimal("1.20"))
    StockRecordFactory(product=baguette, shop=shops[1], price=Decimal("1.40"))
    for n in range(6):
        StockRecordFactory(product=ProductFactory(title=f"Pain de campagne {n}", categories=[bread]), shop=shops[n % 3])
    return {"shops": shops, "bread": bread, "baguette": baguette}


def _audit(page, name: str, viewport: str) -> list[str]:
    page.screenshot(path=str(screenshot_path(f"a11y-{viewport}-{name}")), full_page=True)
    problems = page.evaluate(AUDIT_JS)
    # Keyboard: the first Tab lands on the skip link, which shows and leads to the content.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return {href: el.getAttribute('href'), outline: s.outlineStyle, left: el.getBoundingClientRect().left}; }"
    )
    if focused["href"] != "#contenu" or focused["outline"] == "none" or focused["left"] < 0:
        problems.append(f"first Tab: {focused}")
    return [f"{viewport} {name}: {problem}" for problem in problems]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_storefront_pages_pass_the_automated_accessibility_checks(page, live_server, town, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    baguette = town["baguette"]
    pages = {
        "home": "/",
        "shops": "/commerces/",
        "shop": town["shops"][0].get_absolute_url(),
        "category": town["bread"].get_absolute_url(),
        "search": "/search/?q=pain",
        "product": baguette.get_absolute_url(),
    }
    problems = []
    for name, url in pages.items():
        page.goto(url)
        problems += _audit(page, name, viewport)

    # A basket with lines of two shops.
    page.goto(baguette.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto("/search/?q=campagne")
    page.get_by_role("button", name="Ajouter au panier").first.click()
    page.wait_for_load_state("load")
    page.goto("/basket/")
    problems += _audit(page, "basket", viewport)

    assert problems == [], "\n".join(problems)
    assert page.js_errors == []


def test_the_mini_basket_says_how_many_items_and_how_much(page, town):
    page.goto("/")
    mini = page.locator(".halle-mini-basket")
    assert mini.inner_text().strip() == "Panier vide"

    page.goto(town["baguette"].get_absolute_url())
    page.locator("#add_to_basket_form input[name=quantity]").fill("3")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")

    assert page.locator(".halle-mini-basket").inner_text().strip() == "Panier : 3 articles, 3,60\xa0€"
    assert page.get_by_role("link", name="Panier : 3 articles, 3,60\xa0€").first.is_visible()

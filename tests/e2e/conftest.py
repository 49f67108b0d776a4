"""Browser tests: headless Debian Chromium driven by Playwright's sync API.

Playwright's sync API runs an asyncio event loop in this thread, and Django
refuses ORM calls from a thread with a running loop unless told otherwise; the
live server runs in its own thread against the transactional test database.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"


def basket_filled_then_checkout_opened(page, offers, *, email: str) -> None:
    """The shopper adds one unit of each offer from its product page, opens the checkout
    from the basket and gives an e-mail address."""
    for offer in offers:
        page.goto(offer.product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state("load")
    page.goto("/basket/")
    page.locator("a[href='/checkout/']").last.click()
    page.wait_for_url("**/checkout/")
    page.get_by_label("Adresse e-mail").fill(email)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def _csp_violation(message) -> bool:
    """Chromium reports each refusal of the Content-Security-Policy on the console."""
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def page(request, browser, live_server):
    """A fresh French-speaking browser page; a full-page screenshot is saved if the test fails.

    Every test using it fails if the page breaks the Content-Security-Policy anywhere on
    its journey (an inline script, handler or style the policy refused): Chromium's
    console errors and the ``securitypolicyviolation`` events are both recorded.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}") if _csp_violation(message) else None)
    page.csp_violations = violations
    try:
        yield page
        assert violations == [], "Content-Security-Policy refusals on the journey:\n" + "\n".join(violations)
    finally:
        failed = any(getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
                     for when in ("setup", "call"))
        if failed:
            try:
                page.screenshot(path=str(screenshot_path(request.node.name)), full_page=True)
            except Exception as exc:  # noqa: BLE001 - a screenshot must not hide the failure
                print(f"screenshot failed: {exc}")
        context.close()

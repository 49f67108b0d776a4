"""A new shopper signs up, signs out and signs in again in a real browser, under the
Content-Security-Policy (the page fixture fails on any refusal); a strict policy is what
the browser really gets, and it refuses an injected inline script."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.demo.town import town_seed
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Vitrine-du-marché-42"
SHOTS = "/tmp/shots/fix-signup"


def _shot(page, name: str) -> None:
    page.screenshot(path=str(screenshot_path(name)), full_page=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_shopper_signs_up_signs_out_and_signs_in_again(page):
    town_seed(shops=2, products=6, seed=2, images=False)

    page.goto("/accounts/login/")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "inscription-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    form = page.locator("#register_form")
    form.locator("#id_registration-email").fill("nouvelle.cliente@halle.test")
    form.locator("#id_registration-password1").fill(PASSWORD)
    form.locator("#id_registration-password2").fill(PASSWORD)
    form.locator("button[name=registration_submit]").click()
    page.wait_for_load_state("load")

    assert get_user_model().objects.filter(email="nouvelle.cliente@halle.test").exists()
    assert page.locator("#logout_link").is_visible()  # signed in by the sign-up itself
    assert "Merci de vous être enregistré" in page.locator("body").inner_text()
    _shot(page, "inscrite-1280")

    page.locator("#logout_link").click()  # a POST form, not a link
    page.wait_for_load_state("load")
    assert page.locator("#login_link").is_visible()
    assert "Déconnexion effectuée" in page.locator("body").inner_text()

    page.goto("/accounts/login/")
    login = page.locator("#login_form")
    login.locator("#id_login-username").fill("Nouvelle.Cliente@halle.test")
    login.locator("#id_login-password").fill(PASSWORD)
    login.locator("button[name=login_submit]").click()
    page.wait_for_load_state("load")

    assert page.locator("#logout_link").is_visible()
    page.goto("/accounts/profile/")
    assert "nouvelle.cliente@halle.test" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "profil-390")
    assert page.js_errors == []


def test_a_sign_up_with_a_taken_address_or_different_passwords_is_explained_in_french(page):
    get_user_model().objects.create_user(username="prise", email="prise@halle.test", password=PASSWORD)

    page.goto("/accounts/register/")
    page.locator("#id_email").fill("prise@halle.test")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")

    text = page.locator("main").inner_text()
    assert "Un compte existe déjà avec cette adresse e-mail" in text
    assert "Les deux champs de mot de passe ne correspondent pas" in text
    assert get_user_model().objects.count() == 1
    _shot(page, "inscription-refusee")


def test_the_browser_gets_a_strict_policy_that_refuses_an_injected_inline_script(page):
    response = page.goto("/accounts/login/")

    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy) and "unsafe-inline" not in policy
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
                            document.body.appendChild(s); }""")
    assert page.evaluate("() => window.__injected") is None
    assert any("Content Security Policy" in v for v in page.csp_violations)
    page.csp_violations.clear()  # the refusal this test provoked on purpose

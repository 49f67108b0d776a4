"""On a phone (390 px): the courier opens their round, leaves, delivers one stop with the name
of who received it and fails another (the parcel goes back to the town point); the pages fit
the screen and axe-core finds no serious violation."""
from __future__ import annotations

from pathlib import Path

import pytest

from logistics.delivery.models import Round, StopStatus
from logistics.delivery.services.rounds import window_rounds_plan
from marketplace.order.models import ShopOrder, ShopOrderStatus
from tests.e2e.conftest import screenshot_path
from tests.e2e.site_walk import OVERFLOW_JS, session_cookie
from tests.factories.pickup import part_advance
from tests.logistics.delivery.rounds_helpers import town_with_orders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """
async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]},
                                     resultTypes: ["violations"]});
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}
"""


def _fits_and_passes_axe(page) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] <= PHONE["width"] and not overflow["elements"], overflow
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []


def test_a_courier_follows_their_round_on_a_phone(browser, live_server):
    _town, _zone, window, orders = town_with_orders(orders=2, parcels=4, couriers=1)
    for part in ShopOrder.objects.filter(order__in=orders):
        part_advance(part, to="ready")
    window_rounds_plan(window=window)
    round_ = Round.objects.get(window=window)
    first, second = list(round_.stops.order_by("position"))

    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=PHONE, is_mobile=True, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(session_cookie(round_.courier.user, live_server.url))
    page = context.new_page()
    page.goto("/coursier/")
    _fits_and_passes_axe(page)
    page.get_by_role("link", name="Ouvrir la tournée").click()
    page.get_by_role("button", name="Partir : colis chargés").click()
    page.wait_for_load_state("load")
    _fits_and_passes_axe(page)
    page.screenshot(path=str(screenshot_path("courier-round-phone")), full_page=True)

    page.locator(f"#received-{first.pk}").fill("Mme Martin")
    page.locator(f"#arret-{first.position}").get_by_role("button", name="Livré").click()
    page.wait_for_load_state("load")
    page.locator(f"#reason-{second.pk}").select_option("absent")
    page.locator(f"#arret-{second.position}").get_by_role("button", name="Échec : rapporter au point").click()
    page.wait_for_load_state("load")
    assert "Échec" in page.locator(f"#arret-{second.position}").inner_text()
    context.close()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.received_by, second.status) == (StopStatus.DONE, "Mme Martin", StopStatus.FAILED)
    assert set(second.booking.order.shop_orders.values_list("status", flat=True)) == {ShopOrderStatus.DROPPED}

"""From three shops' parts to the shopper's hands: merchants drop their parcels at the town
collection point, the shopper receives one code by e-mail, the point's staff types it in and
hands the order over."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from logistics.models import PointKind
from logistics.pickup.models import Handover
from logistics.pickup.services.staff import point_staff_add
from marketplace.order.models import ShopOrderStatus
from tests.e2e.conftest import screenshot_path
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import PASSWORD
from tests.factories.logistics import CollectionPointFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = re.compile(r"Votre code de retrait : ([2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3})")


def _log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state("load")


def test_three_merchants_drop_their_parcels_the_shopper_gets_one_code_and_staff_hand_over(page):
    point = CollectionPointFactory(kind=PointKind.TOWN_POINT, name="Point retrait de la Halle",
                                   address="Place de la Halle, Beaumont-sur-Loing", shelf_capacity=40)
    shops = [ShopFactory(name=name) for name in ("Maison Muller", "La Mie Gourmet", "Fromagerie Dubois")]
    order = order_with_parts(shops=shops, point=point, guest_email="claire@exemple.fr")
    merchants = {}
    for part in order.shop_orders.select_related("shop"):
        merchants[part.shop.name] = merchant_of(part.shop)
        part_advance(part, to="ready")  # the merchants' order queue (another page) marks them ready
    agent = UserFactory(username="agent", email="agent@halle.test", first_name="Paul", last_name="Point")
    point_staff_add(point=point, user=agent)
    mail.outbox.clear()

    # Each merchant brings its parcel to the point and marks it dropped.
    for name, user in merchants.items():
        _log_in(page, user.email)
        page.goto("/retrait/comptoir/depots/")
        page.get_by_role("button", name="Déposé au point de retrait").click()
        page.wait_for_load_state("load")
        assert "déposée au point retrait de la Halle" in page.locator(".alert-success").inner_text()
        if name == "Maison Muller":
            page.screenshot(path=str(screenshot_path("pickup-merchant-dropped")), full_page=True)

    # The shopper receives one e-mail with one code (and the QR code inline).
    ready = [m for m in mail.outbox if "prête" in m.subject]
    assert len(ready) == 1, [m.subject for m in mail.outbox]
    assert ready[0].to == ["claire@exemple.fr"]
    code = CODE.search(ready[0].body).group(1)
    html = ready[0].alternatives[0][0]
    qr = ready[0].attachments[0]
    assert qr["Content-ID"] == "<qr-code-retrait>"
    page.goto("about:blank")  # the e-mail as a mail client shows it: outside our pages and their CSP
    page.set_content(html.replace("cid:qr-code-retrait", "data:image/png;base64," + qr.get_payload().replace("\n", "")))
    page.screenshot(path=str(screenshot_path("pickup-email-ready")), full_page=True)

    # The order link from the e-mail shows the code, the QR code, the slot, the place, each part.
    link = "/retrait/" + re.search(r"https?://\S+?/retrait/(suivi/\S+/)", ready[0].body).group(1)
    page.context.clear_cookies()
    page.goto(link)
    assert code in page.locator(".pickup-code-value").inner_text()
    assert page.locator(".pickup-code svg").count() == 1
    assert page.locator(".pickup-part").count() == 3
    page.screenshot(path=str(screenshot_path("pickup-order-status-ready")), full_page=True)

    # The point's staff types the code (as a scanner would) and sees what to hand over.
    _log_in(page, agent.email)
    page.goto("/retrait/point/")
    page.get_by_label("Code de retrait").fill("ZZZ-ZZZ")
    page.get_by_role("button", name="Rechercher la commande").click()
    assert "Aucune commande à remettre ici" in page.locator(".handover-error").inner_text()
    page.get_by_label("Code de retrait").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="Rechercher la commande").click()
    assert f"Commande n° {order.number}" in page.locator(".handover-candidate").inner_text()
    assert "étagère 1" in page.locator(".handover-location").inner_text()
    assert page.locator(".handover-part").count() == 3
    page.screenshot(path=str(screenshot_path("pickup-handover-found")), full_page=True)
    page.get_by_role("button", name="Remis au client").click()
    page.wait_for_load_state("load")
    assert f"Commande n° {order.number} remise" in page.locator(".alert-success").inner_text()
    page.screenshot(path=str(screenshot_path("pickup-handover-done")), full_page=True)

    assert {p.status for p in order.shop_orders.all()} == {ShopOrderStatus.COLLECTED}
    handover = Handover.objects.get(order=order)
    assert handover.by_user == agent and handover.complete
    page.context.clear_cookies()
    page.goto(link)
    assert page.locator(".pickup-part-status").all_inner_texts() == ["Retirée"] * 3
    assert page.js_errors == []

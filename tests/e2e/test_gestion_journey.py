"""The town manager's space in a browser, on a desktop and on a phone: the manager approves
an application and the new owner accepts the invitation and completes the onboarding
checklist; the manager helps a shop in assisted mode and the merchant reads the audit
trail; the manager publishes an event that appears on the home page."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.town.models import AssistAuditEntry
from marketplace.town.services.applications import application_submit
from shops.models import Shop
from shops.onboarding import shop_onboarding_get
from tests.e2e.conftest import screenshot_path
from tests.e2e.test_merchant_journey import VIEWPORTS
from tests.e2e.test_merchant_journey import device_page as device_page  # noqa: PLC0414 (the fixture, reused)
from tests.factories import ProductClassFactory, UserFactory
from tests.factories.backoffice import PASSWORD, image_bytes, merchant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, step: str) -> None:
    page.screenshot(path=str(screenshot_path(f"gestion-{page.device}-{step}")), full_page=True)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state("load")


@pytest.fixture
def manager():
    return UserFactory(username="manon", email="manager@halle.test", first_name="Manon", last_name="Manager",
                       is_staff=True)


def new_page(browser, live_server, device: str):
    phone = device == "telephone"
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=VIEWPORTS[device], is_mobile=phone, has_touch=phone)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.device = device
    return page


def test_the_manager_approves_an_application_and_the_owner_completes_the_checklist(
    device_page, browser, live_server, manager, stripe_local
):
    ProductClassFactory(name="Épicerie")
    application_submit(data={
        "shop_name": "Épicerie du Beffroi", "trade": "epicerie", "line1": "3 rue du Beffroi", "postcode": "45210",
        "city": "Beaumont-sur-Loing", "siret": "73282932000074", "contact_name": "Lucie Vert",
        "contact_email": "lucie@beffroi.test", "contact_phone": "0238456789", "products": "Vrac, produits locaux",
        "fulfilment": ["boutique"], "message": "",
    })
    page = device_page
    login(page, "manager@halle.test")
    page.goto("/gestion/")
    no_horizontal_scroll(page)
    shot(page, "1-accueil")
    page.get_by_role("link", name=re.compile("candidature à examiner")).click()
    page.get_by_role("link", name="Épicerie du Beffroi").click()
    no_horizontal_scroll(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Accepter et inviter le gérant").click()
    page.wait_for_url(re.compile(r"/gestion/commerces/\d+/$"))
    assert "l'invitation du gérant est envoyée" in page.content().replace("&#x27;", "'")
    shot(page, "2-commerce-ouvert")
    shop = Shop.objects.get(name="Épicerie du Beffroi")
    invitation = next(m for m in mail.outbox if "Invitation à rejoindre" in m.subject)
    link = re.search(r"https?://\S+/espace-commercant/invitation/\S+/", invitation.body).group(0)

    owner = new_page(browser, live_server, page.device)
    owner.goto(link.split("8000", 1)[-1] if "8000" in link else re.sub(r"^https?://[^/]+", "", link))
    owner.get_by_label("Prénom").fill("Lucie")
    owner.get_by_label("Nom", exact=True).fill("Vert")
    owner.get_by_label("Mot de passe", exact=True).fill("un-mot-de-passe-solide")
    owner.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-solide")
    owner.get_by_role("button", name="Créer mon compte et rejoindre l'équipe").click()
    owner.wait_for_url(re.compile("/espace-commercant/$"))
    assert "Mise en route : 0 étape sur 6" in owner.content()
    no_horizontal_scroll(owner)
    shot(owner, "3-mise-en-route")

    owner.get_by_role("link", name="Profil complet").click()
    owner.get_by_label("Description").fill("Épicerie de quartier : vrac et produits du Loiret.")
    owner.get_by_role("button", name="Enregistrer").click()
    owner.goto("/espace-commercant/photos/")
    owner.get_by_label(re.compile("Photo \\(PNG")).set_input_files(
        {"name": "vitrine.png", "mimeType": "image/png", "buffer": image_bytes()})
    owner.get_by_label("Description de la photo").fill("La vitrine")
    owner.get_by_role("button", name="Ajouter la photo").click()
    owner.goto("/espace-commercant/horaires/")
    owner.locator("#id_h-0-weekday").select_option("1")
    owner.locator("#id_h-0-opens").fill("09:00")
    owner.locator("#id_h-0-closes").fill("19:00")
    owner.get_by_role("button", name="Enregistrer les horaires").click()
    owner.wait_for_load_state("load")
    assert "Horaires enregistrés" in owner.content(), owner.locator("main").inner_text()[:1500]
    owner.goto("/espace-commercant/catalogue/nouveau/")
    owner.get_by_label("Nom du produit").fill("Lentilles vertes du Berry")
    owner.get_by_label("Type de produit (taux de TVA)").select_option(index=1)
    owner.get_by_label("Prix TTC (€)").fill("4,20")
    owner.get_by_label("Stock", exact=True).fill("30")
    owner.get_by_label("SKU (votre référence)").fill("LENT")
    owner.get_by_role("button", name="Mettre en vente").click()
    owner.goto("/espace-commercant/paiements/")
    owner.get_by_role("button", name="Ouvrir mon compte de paiement").click()
    # Back from the (local) Stripe onboarding: the page was already at this URL, so wait for the
    # outcome itself, not the address (under load the next step used to start before the return).
    owner.get_by_text("Votre compte de paiement est prêt : vos produits peuvent être vendus.").wait_for()
    owner.goto("/espace-commercant/equipe/")
    owner.get_by_label("E-mail de la personne à inviter").fill("vendeur@beffroi.test")
    owner.get_by_role("button", name="Envoyer l'invitation").click()
    owner.get_by_text("Invitation envoyée à vendeur@beffroi.test").wait_for()
    assert [s.key for s in shop_onboarding_get(shop=shop).steps if not s.done] == ["first_order"]

    from tests.factories.pickup import order_with_parts

    order = order_with_parts(shops=[shop], mode="shops")
    part = order.shop_orders.get()
    owner.goto(f"/espace-commercant/commandes/{part.pk}/")
    for label in ("Accepter la commande", "Commencer la préparation", "Marquer prête"):
        owner.get_by_role("button", name=label).click()
        owner.wait_for_load_state("load")
    assert shop_onboarding_get(shop=shop).is_complete
    owner.goto("/espace-commercant/")
    assert "Mise en route" not in owner.content()
    shot(owner, "4-pret")
    page.goto("/gestion/commerces/")
    assert "6/6" in page.locator("#shops-list").inner_text()
    owner.context.close()


def test_the_manager_helps_a_shop_in_assisted_mode_and_the_merchant_reads_the_trail(
    device_page, browser, live_server, manager
):
    _, shop = merchant(role="owner", username="muller", email="muller@halle.test", first_name="Marc", last_name="Muller")
    shop.name = "Boulangerie Muller"
    shop.save()
    merchant_page = new_page(browser, live_server, device_page.device)
    login(merchant_page, "muller@halle.test")
    merchant_page.goto("/espace-commercant/aide-centre-ville/")
    merchant_page.get_by_label("Pour combien de temps ?").select_option("24")
    merchant_page.get_by_role("button", name="Autoriser le centre-ville").click()
    assert "Autorisation en cours" in merchant_page.content()

    page = device_page
    login(page, "manager@halle.test")
    page.goto(f"/gestion/commerces/{shop.pk}/")
    page.get_by_role("button", name="Agir pour « Boulangerie Muller »").click()
    page.wait_for_url(re.compile("/espace-commercant/$"))
    assert page.locator("#assist-banner").is_visible()
    assert "Vous agissez pour « Boulangerie Muller »" in page.locator("#assist-banner").inner_text()
    no_horizontal_scroll(page)
    shot(page, "5-mode-assiste")
    page.goto("/espace-commercant/profil/")
    page.get_by_label("Temps de préparation (minutes)").fill("30")
    page.get_by_role("button", name="Enregistrer").click()
    page.goto("/espace-commercant/paiements/")
    assert "restent au commerçant" in page.content()
    page.goto("/espace-commercant/")
    page.get_by_role("button", name="Quitter le mode assisté").click()
    page.wait_for_url(re.compile(rf"/gestion/commerces/{shop.pk}/$"))

    merchant_page.goto("/espace-commercant/aide-centre-ville/")
    trail = merchant_page.locator(".gestion-audit").inner_text()
    assert "Profil du commerce" in trail and "par Manon Manager (centre-ville)" in trail
    assert "60" in trail and "30" in trail and "Refusé" in trail
    no_horizontal_scroll(merchant_page)
    shot(merchant_page, "6-journal")
    assert AssistAuditEntry.objects.filter(shop=shop, action="profile").get().changes["Temps de préparation (minutes)"] == ["60", "30"]
    merchant_page.context.close()


def test_the_manager_publishes_an_event_that_appears_on_the_home_page(device_page, browser, live_server, manager):
    page = device_page
    login(page, "manager@halle.test")
    page.goto("/gestion/contenu/")
    page.get_by_role("link", name="Nouvel événement ou annonce").click()
    start = timezone.localtime() + dt.timedelta(days=3)
    page.get_by_label("Titre").fill("Fête de la Saint-Jean")
    page.get_by_label("Résumé (page d'accueil)").fill("Feu de joie et bal sur la place")
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill((start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Aperçu").click()
    assert "Fête de la Saint-Jean" in page.locator("#event-preview").inner_text()
    no_horizontal_scroll(page)
    shot(page, "7-apercu")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile("/gestion/contenu/$"))
    visitor = new_page(browser, live_server, page.device)
    visitor.goto("/")
    assert "Fête de la Saint-Jean" in visitor.locator(".halle-events").inner_text()
    shot(visitor, "8-accueil")
    visitor.context.close()

"""Assisted mode: the owner lets the town act for the shop for a while; the manager then
works in the shop's back-office under a banner, every write is kept in the audit trail
(who, for whom, when, what, before/after) that both read; money stays the merchant's
and nothing of another shop is reachable."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.payments.models import ShopPaymentAccount
from marketplace.town.models import AssistAuditEntry, AssistConsent, AuditOutcome
from marketplace.town.services import assist as services
from shops.backoffice.assisted import SESSION_KEY
from shops.models import ShopInvitation
from tests.factories import ProductFactory, StockRecordFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.pickup import order_with_parts
from tests.shops.backoffice.test_views import edit_data

pytestmark = pytest.mark.django_db

PROFILE = {"description": "Pain au levain, viennoiseries.", "line1": "1 place du Marché", "postcode": "45210",
           "city": "Beaumont-sur-Loing", "phone": "02 38 00 00 00", "email": "", "preparation_minutes": 45,
           "daily_order_cap": "", "vacation_mode": ""}


@pytest.fixture
def bakery():
    owner, shop = merchant(role="owner", username="muller", email="muller@halle.test", first_name="Marc", last_name="Muller")
    shop.name = "Boulangerie Muller"
    shop.save()
    return owner, shop


@pytest.fixture
def consent(bakery):
    owner, shop = bakery
    return services.assist_consent_grant(shop=shop, by=owner, hours=24, note="mettre mes produits en ligne")


@pytest.fixture
def assisting(manager_client, bakery, consent):
    """The manager acting for the bakery."""
    response = manager_client.post(f"/gestion/commerces/{bakery[1].pk}/agir/")
    assert response.status_code == 302 and response["Location"] == "/espace-commercant/"
    return manager_client


def test_the_owner_grants_and_revokes_the_towns_access_from_the_back_office(client, bakery):
    owner, shop = bakery
    client.force_login(owner)
    response = client.post("/espace-commercant/aide-centre-ville/", {"hours": "72", "note": "photos"})
    assert response.status_code == 302
    consent = AssistConsent.objects.get(shop=shop)
    assert consent.granted_by == owner and dt.timedelta(hours=71) < consent.expires_at - timezone.now() <= dt.timedelta(hours=72)
    assert "Autorisation en cours" in client.get("/espace-commercant/aide-centre-ville/").content.decode()
    client.post("/espace-commercant/aide-centre-ville/", {"action": "revoke"})
    assert services.assist_consent_active(shop=shop) is None


def test_a_bad_duration_grants_nothing(client, bakery):
    client.force_login(bakery[0])
    response = client.post("/espace-commercant/aide-centre-ville/", {"hours": "9999"})
    assert response.status_code == 200 and "Choisissez une durée dans la liste" in response.content.decode()
    assert not AssistConsent.objects.exists()


def test_only_the_owner_may_grant_it_staff_may_read_the_trail(client, bakery):
    employee, _ = merchant(shop=bakery[1], role="staff", username="vendeuse")
    client.force_login(employee)
    assert client.get("/espace-commercant/aide-centre-ville/").status_code == 200
    assert client.post("/espace-commercant/aide-centre-ville/", {"hours": "24"}).status_code == 403
    assert not AssistConsent.objects.exists()


def test_without_consent_the_manager_cannot_act_for_a_shop(manager_client, bakery):
    response = manager_client.post(f"/gestion/commerces/{bakery[1].pk}/agir/", follow=True)
    assert "pas (ou plus) autorisé" in response.content.decode()
    assert SESSION_KEY not in manager_client.session
    assert manager_client.get("/espace-commercant/").status_code == 403


def test_the_manager_acts_under_a_banner_and_the_session_start_is_recorded(assisting, bakery, manager):
    html = assisting.get("/espace-commercant/").content.decode()
    assert 'id="assist-banner"' in html and "Vous agissez pour « Boulangerie Muller »" in html
    assert "Marc Muller" in html  # whose consent
    entry = AssistAuditEntry.objects.get()
    assert (entry.actor, entry.shop, entry.outcome, entry.label) == (manager, bakery[1], AuditOutcome.SESSION, "Début du mode assisté")


def test_a_profile_change_is_recorded_with_before_and_after_and_both_read_it(assisting, client, bakery, manager):
    owner, shop = bakery
    response = assisting.post("/espace-commercant/profil/", PROFILE)
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.preparation_minutes == 45
    entry = AssistAuditEntry.objects.get(action="profile")
    assert entry.actor == manager and entry.outcome == AuditOutcome.CHANGED and entry.consent.shop == shop
    assert entry.changes["Temps de préparation (minutes)"] == ["60", "45"]
    assert entry.changes["Téléphone"] == ["—", "02 38 00 00 00"]
    assert "Description" in entry.changes
    # the manager's copy of the trail
    html = assisting.get(f"/gestion/commerces/{shop.pk}/journal/").content.decode()
    assert "Profil du commerce" in html and "<del>60</del>" in html and "<ins>45</ins>" in html
    # the merchant's
    client.force_login(owner)
    html = client.get("/espace-commercant/aide-centre-ville/").content.decode()
    assert "Profil du commerce" in html and "par Manon Manager (centre-ville)" in html and "<ins>45</ins>" in html


def test_saving_the_profile_as_it_is_records_no_change(assisting, bakery):
    """A description stored without tags and the same text sanitised into paragraphs read alike."""
    shop = bakery[1]
    assisting.post("/espace-commercant/profil/", {**PROFILE, "description": shop.description, "phone": "",
                                                  "preparation_minutes": shop.preparation_minutes})
    entry = AssistAuditEntry.objects.get(action="profile")
    assert entry.outcome == AuditOutcome.UNCHANGED and entry.changes == {}


def test_a_refused_form_is_recorded_as_no_change(assisting, bakery):
    assisting.post("/espace-commercant/profil/", {**PROFILE, "postcode": ""})
    entry = AssistAuditEntry.objects.get(action="profile")
    assert entry.outcome == AuditOutcome.UNCHANGED and entry.changes == {}


def test_a_product_edit_and_a_staff_invitation_are_recorded(assisting, bakery):
    _, shop = bakery
    offer = StockRecordFactory(shop=shop, product=ProductFactory(title="Baguette"), partner_sku="BAG", price=Decimal("1.10"))
    assisting.post(reverse("backoffice:offer-edit", args=[offer.pk]), edit_data(offer, price="1,20"))
    entry = AssistAuditEntry.objects.get(action="offer-edit")
    assert entry.changes == {"Prix": ["1,10 €", "1,20 €"]}
    assisting.post("/espace-commercant/equipe/", {"email": "vendeuse@halle.test"})
    assert ShopInvitation.objects.get(shop=shop).email == "vendeuse@halle.test"
    entry = AssistAuditEntry.objects.get(action="team")
    assert entry.changes == {"vendeuse@halle.test": ["—", "invitation en attente (employé)"]}


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/espace-commercant/paiements/"),
    ("post", "/espace-commercant/paiements/ouvrir/"),
    ("get", "/espace-commercant/argent/"),
    ("get", "/espace-commercant/caisse-api/"),
    ("post", "/espace-commercant/caisse-api/"),
])
def test_money_pages_and_till_tokens_stay_the_merchants(assisting, bakery, method, url):
    response = getattr(assisting, method)(url, {"name": "Caisse"} if method == "post" else None)
    assert response.status_code == 403 and "restent au commerçant" in response.content.decode()
    assert not ShopPaymentAccount.objects.filter(shop=bakery[1]).exists()
    assert not bakery[1].api_tokens.exists()
    refused = AssistAuditEntry.objects.get(outcome=AuditOutcome.REFUSED)
    assert refused.label in ("Refusé : Compte de paiement", "Refusé : Ouverture du compte de paiement",
                             "Refusé : Argent du commerce", "Refusé : Jetons de caisse")


def test_refunds_and_order_steps_are_refused_in_assisted_mode(assisting, bakery):
    order = order_with_parts(shops=[bakery[1]], mode="shops")
    part = order.shop_orders.get()
    line = part.lines.get()
    for url, data in ((f"/espace-commercant/commandes/{part.pk}/indisponibles/", {f"line-{line.pk}": "1"}),
                      (f"/espace-commercant/commandes/{part.pk}/etape/", {"action": "cancel"}),
                      (f"/espace-commercant/commandes/{part.pk}/etape/", {"action": "accept"})):
        assert assisting.post(url, data).status_code == 403
    part.refresh_from_db()
    assert part.status == "new" and not part.has_unavailable_items
    assert assisting.get(f"/espace-commercant/commandes/{part.pk}/").status_code == 200  # reading is fine


def test_nothing_of_another_shop_is_reachable_in_assisted_mode(assisting, bakery):
    _, other = merchant(role="owner", username="autre")
    theirs = StockRecordFactory(shop=other, price=Decimal("9.00"))
    assert assisting.get(reverse("backoffice:offer-edit", args=[theirs.pk])).status_code == 404
    assert assisting.post(reverse("backoffice:offer-edit", args=[theirs.pk]), edit_data(theirs, price="1")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.price == Decimal("9.00")
    response = assisting.post("/espace-commercant/commerce/", {"shop": other.pk})
    assert response.status_code == 302 and response["Location"] == "/espace-commercant/"
    assert other.name not in assisting.get("/espace-commercant/catalogue/").content.decode()


def test_a_revoked_or_expired_consent_ends_the_managers_access_at_once(assisting, bakery, consent):
    owner, shop = bakery
    services.assist_consent_revoke(shop=shop, by=owner)
    assert assisting.get("/espace-commercant/").status_code == 403
    assert SESSION_KEY not in assisting.session
    consent = services.assist_consent_grant(shop=shop, by=owner, hours=2)
    assisting.post(f"/gestion/commerces/{shop.pk}/agir/")
    past = timezone.now() - dt.timedelta(hours=3)
    AssistConsent.objects.filter(pk=consent.pk).update(granted_at=past, expires_at=past + dt.timedelta(hours=2))
    assert assisting.post("/espace-commercant/profil/", PROFILE).status_code == 403
    shop.refresh_from_db()
    assert shop.preparation_minutes == 60


def test_leaving_assisted_mode_is_recorded(assisting, bakery):
    response = assisting.post("/gestion/mode-assiste/quitter/")
    assert response.status_code == 302 and response["Location"] == f"/gestion/commerces/{bakery[1].pk}/"
    assert AssistAuditEntry.objects.filter(action="assist_end").exists()
    assert assisting.get("/espace-commercant/").status_code == 403


def test_a_suspended_shop_is_read_only_in_assisted_mode_too(assisting, bakery):
    from shops.services.profile import shop_suspend

    shop_suspend(shop=bakery[1])
    assert assisting.post("/espace-commercant/profil/", PROFILE).status_code == 403
    bakery[1].refresh_from_db()
    assert bakery[1].preparation_minutes == 60


def test_a_merchant_or_a_shopper_cannot_start_assisted_mode(client, bakery, consent):
    for user in (bakery[0], UserFactory(username="client")):
        client.force_login(user)
        assert client.post(f"/gestion/commerces/{bakery[1].pk}/agir/").status_code == 403
        assert SESSION_KEY not in client.session


def test_a_session_forged_for_another_shop_gives_nothing(manager_client, bakery, consent):
    _, other = merchant(role="owner", username="autre")
    session = manager_client.session
    session[SESSION_KEY] = {"shop": other.pk, "consent": consent.pk}
    session.save()
    assert manager_client.get("/espace-commercant/").status_code == 403

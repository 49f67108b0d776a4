"""The town-centre manager in Oscar's dashboard: all shops, creating one (Partner + Shop + owner
invitation), suspending one (off the storefront, read-only back-office), never deleting one."""
from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.partner.models import Partner, StockRecord
from shops.models import Shop, ShopInvitation, ShopRole, ShopStatus
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory, UserFactory
from tests.factories.backoffice import api_token, merchant
from tests.shops.api.conftest import Till
from tests.shops.backoffice.test_views import edit_data

pytestmark = pytest.mark.django_db

NEW_SHOP = {
    "name": "Fromagerie du Beffroi", "trade": "fromagerie", "line1": "3 rue du Beffroi", "postcode": "45210",
    "city": "Beaumont-sur-Loing", "phone": "", "email": "", "owner_email": "fromager@halle.test",
}


@pytest.fixture
def manager(client):
    user = UserFactory(username="manon", email="manager@halle.test", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_manager_sees_every_shop_and_its_status(client, manager):
    ShopFactory(name="Boulangerie Active")
    ShopFactory(name="Boucherie Suspendue", status=ShopStatus.SUSPENDED)
    page = client.get(reverse("dashboard:partner-list"))
    body = page.content.decode()
    assert page.status_code == 200 and "Boulangerie Active" in body and "Boucherie Suspendue" in body
    assert [p.name for p in client.get(reverse("dashboard:partner-list"), {"statut": "suspended"}).context["partners"]] == [
        "Boucherie Suspendue"
    ]


def test_creating_a_shop_creates_its_partner_and_invites_its_owner(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:partner-create"), NEW_SHOP)
    assert response.status_code == 302
    shop = Shop.objects.get(name="Fromagerie du Beffroi")
    assert shop.partner.name == "Fromagerie du Beffroi" and shop.status == ShopStatus.ACTIVE
    invitation = ShopInvitation.objects.get(shop=shop)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("fromager@halle.test", ShopRole.OWNER, manager)
    assert mail.outbox[0].to == ["fromager@halle.test"] and "gérant" in mail.outbox[0].body


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "Boulangerie Numéro Un"}, "name"),
    ({"owner_email": "pas-une-adresse"}, "owner_email"),
    ({"postcode": ""}, "postcode"),
    ({"postcode": "99999"}, "postcode"),  # no such département
    ({"phone": "0612"}, "phone"),
    ({"trade": "astronaute"}, "trade"),
])
def test_bad_shop_creation_is_a_form_error_and_creates_nothing(client, manager, change, field):
    ShopFactory(name="Boulangerie Numéro Un")
    before = (Partner.objects.count(), Shop.objects.count())
    response = client.post(reverse("dashboard:partner-create"), {**NEW_SHOP, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Partner.objects.count(), Shop.objects.count()) == before
    assert not ShopInvitation.objects.exists()


def test_a_shops_partner_cannot_be_deleted(client, manager):
    shop = ShopFactory()
    response = client.post(reverse("dashboard:partner-delete", args=[shop.partner_id]), follow=True)
    assert "suspendez-le" in response.content.decode()
    assert Shop.objects.filter(pk=shop.pk).exists()


@pytest.fixture
def suspended_world(client, manager):
    owner, shop = merchant(username="fromager", role="owner")
    offer = StockRecordFactory(shop=shop, product=ProductFactory(title="Comté affiné"), partner_sku="COMTE", num_in_stock=5)
    response = client.post(reverse("dashboard:shop-status", args=[shop.partner_id]), {"action": "suspend"})
    assert response.status_code == 302
    shop.refresh_from_db()
    return owner, shop, offer


def test_suspending_hides_the_shops_products_from_the_storefront(client, suspended_world):
    _, shop, offer = suspended_world
    assert shop.status == ShopStatus.SUSPENDED
    client.logout()
    assert "Comté affiné" not in client.get("/search/", {"q": "comté"}).content.decode()
    assert client.get(shop.get_absolute_url()).status_code == 404
    product_page = client.get(offer.product.get_absolute_url()).content.decode()
    assert "proposé par aucun commerce en ce moment" in product_page.replace("&#x27;", "'")


def test_staff_of_a_suspended_shop_read_their_back_office_but_every_write_is_refused(client, suspended_world):
    owner, shop, offer = suspended_world
    client.force_login(owner)
    for name in ("home", "offers", "profile", "imports", "team", "api-tokens"):
        page = client.get(reverse(f"backoffice:{name}"))
        assert page.status_code == 200, name
        assert "Commerce suspendu par le centre-ville" in page.content.decode()
    response = client.post(reverse("backoffice:offer-edit", args=[offer.pk]), edit_data(offer, num_in_stock="99"))
    assert response.status_code == 403
    assert "Votre commerce est suspendu par le centre-ville" in response.content.decode()
    assert client.post(reverse("backoffice:api-tokens"), {"name": "Caisse"}).status_code == 403
    offer.refresh_from_db()
    assert offer.num_in_stock == 5


def test_a_suspended_shops_staff_can_still_sign_in(client, suspended_world):
    owner, _, _ = suspended_world
    client.logout()
    response = client.post("/accounts/login/", {
        "login-username": owner.email, "login-password": "mot-de-passe-de-test", "login_submit": "1",
    })
    assert response.status_code == 302
    assert client.get(reverse("backoffice:offers")).status_code == 200


def test_a_suspended_shops_till_can_read_but_not_write(client, suspended_world):
    _, shop, _ = suspended_world
    till = Till(client, api_token(shop=shop)[1])
    assert till.get("offers/COMTE/").json()["stock"] == 5
    assert till.patch("offers/COMTE/", {"stock": 9}).status_code == 403
    assert StockRecord.objects.get(partner_sku="COMTE").num_in_stock == 5


def test_reactivating_puts_the_products_back(client, manager, suspended_world):
    _, shop, _ = suspended_world
    client.post(reverse("dashboard:shop-status", args=[shop.partner_id]), {"action": "reactivate"})
    shop.refresh_from_db()
    assert shop.status == ShopStatus.ACTIVE
    assert "Comté affiné" in client.get("/search/", {"q": "comté"}).content.decode()

"""Every URL of the manager's space is the town manager's alone: anonymous visitors go to
the login page; shoppers, merchants (owner or staff), collection point staff, couriers, ambassadors get a 403, on
GET and POST, whatever the ids (another shop's, their own shop's); the manager gets a 404
for ids that do not exist.

The URLs are every pattern the resolver serves under ``/gestion/`` (statistics, money and
lateness included), so a section added later is covered without touching this file: a
keyword unknown here fails the test until an object for it is added to ``objects``."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from logistics.delivery.services.fleet import courier_create
from logistics.pickup.services.staff import point_staff_add
from marketplace.analytics.models import FootfallImport
from marketplace.payments.models import CommissionPlan, Payment, ReconciliationIssue, ShopPlanChange
from marketplace.promotions.services.ambassadors import ambassador_invite
from marketplace.town.models import Newsletter, ShopApplication, TownEvent
from shops.models import Shop
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.logistics import CollectionPointFactory, SlotTemplateFactory
from tests.factories.promotions import campaign_made

pytestmark = pytest.mark.django_db
PREFIX = "gestion/"


def manager_url_names() -> list[tuple[str, list[str]]]:
    """(namespace:name, its URL keyword arguments) for every pattern served under ``/gestion/``."""
    names = []

    def walk(patterns, route: str, namespace: str | None, converters: list[str]):
        for pattern in patterns:
            here = route + str(pattern.pattern)
            keywords = converters + list(pattern.pattern.converters)
            if isinstance(pattern, URLResolver):
                if here.startswith(PREFIX) or PREFIX.startswith(here):
                    walk(pattern.url_patterns, here, pattern.namespace or namespace, keywords)
            elif isinstance(pattern, URLPattern) and here.startswith(PREFIX):
                assert namespace and pattern.name, f"/{here} needs a namespace and a name"
                names.append((f"{namespace}:{pattern.name}", keywords))

    walk(get_resolver().url_patterns, "", None, [])
    return names


@pytest.fixture
def objects():
    from django.utils import timezone

    shop = ShopFactory()
    lockers = CollectionPointFactory(kind="locker_bank")
    SlotTemplateFactory(point=lockers)
    from marketplace.payments.selectors import commission_plan_default

    plan = commission_plan_default()
    from tests.factories.delivery import DeliveryWindowFactory, DeliveryZoneFactory, VehicleFactory

    zone = DeliveryZoneFactory()
    window = DeliveryWindowFactory()
    from marketplace.promotions.services.vouchers import voucher_batch_generate

    campaign = campaign_made(name="Quinzaine", code="QUINZE")
    batch = voucher_batch_generate(campaign=campaign, name="Lot imprimé", count=2)
    return {
        "campaign_pk": campaign.pk,
        "batch_pk": batch.pk,
        "year": timezone.now().year,
        "month": timezone.now().month,
        "zone_pk": zone.pk,
        "template_pk": window.template_id,
        "vehicle_pk": VehicleFactory().pk,
        "window_pk": window.pk,
        "shop_pk": shop.pk,
        "application_pk": ShopApplication.objects.create(
            shop_name="Candidat", trade="fromagerie", line1="1 rue", postcode="45210", city="B", siret="73282932000074",
            contact_name="A", contact_email="a@example.test", contact_phone="+33238000000", products="x",
            fulfilment=["boutique"], nonce="n").pk,
        "plan_pk": plan.pk,
        "change_pk": ShopPlanChange.objects.create(shop=shop, plan=plan, effective_from=timezone.now()).pk,
        "event_pk": TownEvent.objects.create(title="Fête", starts_at=timezone.now(),
                                             ends_at=timezone.now() + timezone.timedelta(hours=1)).pk,
        "newsletter_pk": Newsletter.objects.create(subject="Lettre", body="x").pk,
        "point_pk": lockers.pk,
        "issue_pk": ReconciliationIssue.objects.create(
            payment=Payment.objects.create(order_number="700001", amount_cents=100), code="x", message="x").pk,
        "table": "jours",
        "import_pk": FootfallImport.objects.create(file="footfall/comptages.csv", file_name="comptages.csv",
                                                   status="done").pk,
    }


def urls(objects, *, missing: bool = False) -> list[str]:
    found = []
    for name, kwargs in manager_url_names():
        unknown = set(kwargs) - set(objects)
        assert not unknown, f"{name}: add an object for {unknown} to the objects fixture"
        found.append(reverse(name, kwargs={k: 999999 if missing else objects[k] for k in kwargs}))
    return found


def test_the_manager_space_has_every_expected_section(objects):
    names = {name for name, _ in manager_url_names()}
    assert {"gestion:home", "gestion:shops", "gestion:applications", "gestion:content", "gestion:logistics",
            "gestion:plans", "payments-manager:money", "pickup-manager:late"} <= names
    assert {"analytics-manager:statistics", "footfall-manager:footfall"} <= names
    assert {"delivery-manager:overview", "delivery-manager:zone-create", "delivery-manager:window"} <= names
    assert len(names) >= 35


def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(client, objects):
    for url in urls(objects):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.fixture
def other_roles():
    owner, shop = merchant(role="owner", username="gerant")
    employee, _ = merchant(shop=shop, role="staff", username="employe")
    agent = UserFactory(username="agent")
    point_staff_add(point=CollectionPointFactory(), user=agent)
    courier = courier_create(email="coursier@halle.test", first_name="Léa", last_name="Vélo", phone="06 12 34 56 78").user
    ambassador = ambassador_invite(campaign=campaign_made(name="Les amis du centre", code="AMIS"),
                                   email="ambassadeur@halle.test", display_name="Club de foot",
                                   reward_euros=Decimal("2.00")).user
    return {"client": UserFactory(username="cliente"), "gérant": owner, "employé": employee, "point de retrait": agent,
            "gérant (son commerce)": owner, "coursier": courier, "ambassadeur": ambassador}


def _state() -> tuple:
    return (ShopApplication.objects.get().status, CommissionPlan.objects.count(), TownEvent.objects.count(),
            ShopPlanChange.objects.count(), sorted(Shop.objects.values_list("pk", "status")))


def test_every_other_role_gets_a_403_on_every_url_and_changes_nothing(client, objects, other_roles):
    before = _state()
    own_shop = Shop.objects.get(partner__users=other_roles["gérant"])
    for role, user in other_roles.items():
        client.force_login(user)
        ids = {**objects, "shop_pk": own_shop.pk} if role.endswith("(son commerce)") else objects
        for url in urls(ids):
            assert client.get(url).status_code == 403, (role, url)
            assert client.post(url, {"action": "approve", "name": "x", "rate": "1"}).status_code == 403, (role, url)
    assert _state() == before


def test_the_manager_gets_a_404_for_ids_that_do_not_exist(manager_client, objects):
    for name, kwargs in manager_url_names():
        if not kwargs:
            continue
        url = reverse(name, kwargs=dict.fromkeys(kwargs, 999999))
        response = manager_client.get(url)
        if response.status_code == 405:  # a POST-only action
            response = manager_client.post(url)
        assert response.status_code == 404, url


def test_the_manager_opens_every_page_of_the_space(manager_client, objects):
    for name, kwargs in manager_url_names():
        url = reverse(name, kwargs={k: objects[k] for k in kwargs})
        response = manager_client.get(url)
        assert response.status_code in (200, 405), (url, response.status_code)

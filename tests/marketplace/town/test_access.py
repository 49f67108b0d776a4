"""Every URL of the manager's space is the town manager's alone: anonymous visitors go to
the login page; shoppers, merchants (owner or staff), collection point staff get a 403, on
GET and POST, whatever the ids; the manager gets a 404 for ids that do not exist."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from logistics.pickup.services.staff import point_staff_add
from marketplace.payments.models import CommissionPlan, Payment, ReconciliationIssue, ShopPlanChange
from marketplace.town.models import Newsletter, ShopApplication, TownEvent
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.logistics import CollectionPointFactory, SlotTemplateFactory

pytestmark = pytest.mark.django_db
NAMESPACES = ("gestion", "payments-manager", "pickup-manager", "delivery-manager")


def manager_url_names() -> list[tuple[str, list[str]]]:
    """(namespace:name, its URL keyword arguments) for every pattern of the manager's space."""
    names = []
    for namespace in NAMESPACES:
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern) and not isinstance(pattern, URLResolver)
            names.append((f"{namespace}:{pattern.name}", list(pattern.pattern.converters)))
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
    return {
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
    }


def urls(objects, *, missing: bool = False) -> list[str]:
    found = []
    for name, kwargs in manager_url_names():
        found.append(reverse(name, kwargs={k: 999999 if missing else objects[k] for k in kwargs}))
    return found


def test_the_manager_space_has_every_expected_section(objects):
    names = {name for name, _ in manager_url_names()}
    assert {"gestion:home", "gestion:shops", "gestion:applications", "gestion:content", "gestion:logistics",
            "gestion:plans", "payments-manager:money", "pickup-manager:late"} <= names
    assert len(names) >= 30


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
    return {"client": UserFactory(username="cliente"), "gérant": owner, "employé": employee, "point de retrait": agent}


def test_every_other_role_gets_a_403_on_every_url_and_changes_nothing(client, objects, other_roles):
    before = (ShopApplication.objects.get().status, CommissionPlan.objects.count(), TownEvent.objects.count())
    for role, user in other_roles.items():
        client.force_login(user)
        for url in urls(objects):
            assert client.get(url).status_code == 403, (role, url)
            assert client.post(url, {"action": "approve", "name": "x", "rate": "1"}).status_code == 403, (role, url)
    assert (ShopApplication.objects.get().status, CommissionPlan.objects.count(), TownEvent.objects.count()) == before


def test_the_manager_gets_a_404_for_ids_that_do_not_exist(manager_client, objects):
    for name, kwargs in manager_url_names():
        if not kwargs:
            continue
        url = reverse(name, kwargs=dict.fromkeys(kwargs, 999999))
        method = manager_client.get if name in ("gestion:shop", "gestion:application", "gestion:event-edit",
                                                "gestion:newsletter", "gestion:point", "gestion:shop-audit",
                                                "gestion:point-templates", "gestion:point-closures",
                                                "gestion:point-compartments") else manager_client.post
        assert method(url).status_code == 404, url


def test_the_manager_opens_every_page_of_the_space(manager_client, objects):
    for name, kwargs in manager_url_names():
        url = reverse(name, kwargs={k: objects[k] for k in kwargs})
        response = manager_client.get(url)
        assert response.status_code in (200, 405), (url, response.status_code)

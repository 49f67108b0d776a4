"""``/gestion/``: the manager's day at a glance, staff only, in a constant number of queries;
the Django admin is for superusers, not for the manager."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.town.models import ShopApplication
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.logistics import CollectionPointFactory
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db


def _number(html: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}">(\d+)<', html).group(1))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/gestion/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/gestion/")


def test_merchants_shoppers_and_point_staff_get_a_403(client):
    from logistics.pickup.services.staff import point_staff_add

    owner, _ = merchant(role="owner")
    agent = UserFactory(username="agent")
    point_staff_add(point=CollectionPointFactory(), user=agent)
    for user in (owner, UserFactory(username="client"), agent):
        client.force_login(user)
        assert client.get("/gestion/").status_code == 403


def test_the_home_counts_parts_to_prepare_by_shop_parcels_waiting_and_applications(manager_client):
    point = CollectionPointFactory(name="Point retrait de la Halle", shelf_capacity=10)
    order = order_with_parts(count=2, point=point)
    first, second = order.shop_orders.order_by("pk")
    part_advance(first, to="dropped")  # its parcel waits on a shelf
    page = manager_client.get("/gestion/")
    html = page.content.decode()
    assert page.status_code == 200
    assert _number(html, "count-to-prepare") == 1  # the second shop's part, still new
    assert _number(html, "count-waiting") == 1
    work = {w.name: w for w in page.context["today"].shops_work}
    assert work[second.shop.name].to_accept == 1 and first.shop.name not in work
    assert "Point retrait de la Halle : 1 colis" in html


def test_the_home_menu_links_the_money_and_late_pages_of_the_other_apps(manager_client):
    html = manager_client.get("/gestion/").content.decode()
    nav = html[html.index('class="gestion-nav"'):]
    nav = nav[: nav.index("</nav>")]
    for href in ('href="/gestion/"', 'href="/gestion/commerces/"', 'href="/gestion/argent/"', 'href="/gestion/retards/"',
                 'href="/gestion/statistiques/"'):
        assert href in nav
    assert 'aria-current="page">Aujourd' in nav


def test_the_money_late_and_statistics_pages_show_the_same_menu(manager_client):
    for url, current in (("/gestion/argent/", "Argent"), ("/gestion/retards/", "Retards"),
                         ("/gestion/statistiques/", "Statistiques"), ("/gestion/statistiques/frequentation/", "Statistiques")):
        html = manager_client.get(url).content.decode()
        assert 'class="gestion-nav"' in html and f'aria-current="page">{current}</a>' in html


def _town(size: int, point):
    for _ in range(size):
        order = order_with_parts(count=2, point=point)
        part_advance(order.shop_orders.order_by("pk").first(), to="dropped")
        ShopApplication.objects.create(shop_name=f"Candidat {ShopApplication.objects.count()}", trade="fromagerie",
                                       line1="1 rue", postcode="45210", city="Beaumont", siret=f"{ShopApplication.objects.count():014d}",
                                       contact_name="A", contact_email="a@example.test", contact_phone="+33238000000",
                                       products="fromages", fulfilment=["boutique"], nonce="n")
        ShopFactory()


def test_home_queries_do_not_grow_with_shops_orders_parcels_and_applications(manager_client):
    point = CollectionPointFactory(shelf_capacity=100)
    _town(1, point)
    manager_client.get("/gestion/")  # the session's first write out of the way
    with CaptureQueriesContext(connection) as small:
        manager_client.get("/gestion/")
    _town(6, point)
    with CaptureQueriesContext(connection) as big:
        page = manager_client.get("/gestion/")
    assert len(page.context["today"].shops_work) >= 7
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_django_admin_refuses_the_manager_but_lets_superusers_in(client, manager):
    client.force_login(manager)
    for url in ("/admin/", "/admin/auth/user/", "/admin/axes/accessattempt/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200


def test_the_manager_opens_a_shop_and_invites_its_owner_without_the_dashboard(manager_client, manager,
                                                                             django_capture_on_commit_callbacks):
    from django.core import mail

    from shops.models import Shop, ShopInvitation

    data = {"name": "Fromagerie du Beffroi", "trade": "fromagerie", "line1": "3 rue du Beffroi", "postcode": "45210",
            "city": "Beaumont-sur-Loing", "phone": "", "email": "", "owner_email": "fromager@halle.test"}
    assert manager_client.post("/gestion/commerces/nouveau/", {**data, "owner_email": "x"}).status_code == 400
    assert not Shop.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post("/gestion/commerces/nouveau/", data)
    shop = Shop.objects.get()
    assert response["Location"] == f"/gestion/commerces/{shop.pk}/"
    assert ShopInvitation.objects.get(shop=shop).invited_by == manager
    assert mail.outbox[-1].to == ["fromager@halle.test"]


def _more(size: int) -> None:
    """``size`` more of what the list pages show: shops (with counters), points, events,
    featured shops, flagged slots with their orders."""
    import datetime as dt

    from django.utils import timezone

    from logistics.models import PointKind, Slot
    from marketplace.town.models import FeaturedShop, TownEvent
    from tests.factories.logistics import LockerCompartmentFactory

    for _ in range(size):
        point = CollectionPointFactory(shelf_capacity=10)
        lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
        LockerCompartmentFactory(point=lockers)
        order = order_with_parts(count=1, point=point)
        Slot.objects.filter(pk=order.shop_orders.get().slot_id).update(needs_attention=True)
        shop = ShopFactory()
        FeaturedShop.objects.create(shop=shop, position=shop.pk)
        TownEvent.objects.create(title="Fête", starts_at=timezone.now(), ends_at=timezone.now() + dt.timedelta(days=1))
    _town(size, CollectionPointFactory(shelf_capacity=100))


@pytest.mark.parametrize("url", ["/gestion/commerces/", "/gestion/candidatures/", "/gestion/logistique/",
                                 "/gestion/contenu/", "/gestion/commissions/"])
def test_list_pages_cost_the_same_queries_for_few_and_many_rows(manager_client, url):
    _more(1)
    manager_client.get(url)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(url)
    _more(5)
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

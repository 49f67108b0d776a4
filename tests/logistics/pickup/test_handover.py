"""The handover page: point staff and merchants enter or scan the code, see what to hand over,
mark it collected (whole or partial) with an audit record; wrong codes are limited."""
from __future__ import annotations

import html as html_lib

import pytest
from django.test import override_settings
from django.urls import reverse

from logistics.lockers.simulated import door_events, faulty_set
from logistics.models import PointKind
from marketplace.order.models import ShopOrderStatus
from logistics.pickup.models import Handover, PickupCode
from logistics.pickup.services.staff import point_staff_add
from shops.backoffice.access import SESSION_KEY
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


@pytest.fixture
def ready_order(point):
    order = order_with_parts(count=3, point=point)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped")
    return order


def _text(response) -> str:
    return html_lib.unescape(response.content.decode())


def _url(point):
    return reverse("pickup:point-handover", kwargs={"point_id": point.pk})


def _code(order) -> str:
    return PickupCode.objects.get(order=order).code


def test_staff_finds_the_order_by_its_code_and_sees_shelf_and_every_part(client, point, staff, ready_order):
    client.force_login(staff)
    code = _code(ready_order)

    response = client.post(_url(point), {"action": "find", "code": f"{code[:3].lower()}-{code[3:]}"})

    html = _text(response)
    assert response.status_code == 200
    assert f"Commande n° {ready_order.number}" in html
    assert "Emplacement : <strong>étagère 1</strong>" in html
    assert html.count('name="parts"') == 3


def test_staff_marks_the_whole_order_collected_with_an_audit_record(client, point, staff, ready_order):
    client.force_login(staff)
    parts = list(ready_order.shop_orders.order_by("pk"))

    response = client.post(
        _url(point), {"action": "collect", "code": _code(ready_order), "parts": [p.pk for p in parts]}, follow=True
    )

    assert f"Commande n° {ready_order.number} remise" in _text(response)
    assert {p.status for p in ready_order.shop_orders.all()} == {S.COLLECTED}
    handover = Handover.objects.get(order=ready_order)
    assert handover.by_user == staff and handover.point == point and handover.complete
    assert sorted(item["shop"] for item in handover.parts) == sorted(p.shop.name for p in parts)
    assert handover.parts[0]["lines"][0]["quantity"] == 2 and handover.parts[0]["location"] == "étagère 1"
    assert set(handover.shop_orders.all()) == set(parts)
    assert handover.ip_address == "127.0.0.1"
    assert not PickupCode.objects.get(order=ready_order).is_open


def test_a_partial_handover_leaves_the_other_parts_waiting_with_the_code_still_open(client, point, staff, ready_order):
    client.force_login(staff)
    first, *rest = ready_order.shop_orders.order_by("pk")

    client.post(_url(point), {"action": "collect", "code": _code(ready_order), "parts": [first.pk]})

    handover = Handover.objects.get(order=ready_order)
    assert not handover.complete
    assert [p.status for p in ready_order.shop_orders.order_by("pk")] == [S.COLLECTED, S.DROPPED, S.DROPPED]
    assert PickupCode.objects.get(order=ready_order).is_open
    response = client.post(_url(point), {"action": "find", "code": _code(ready_order)})
    assert _text(response).count('name="parts"') == 2


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ZZZZZZ", "Aucune commande à remettre ici ne correspond à ce code"),
        ("AB1", "vous en avez saisi 3"),
        ("AB0CDE", "jamais 0, O, 1, I ni L"),
        ("", "Saisissez ou scannez le code de retrait."),
        ("x" * 40, "Un code de retrait a 6 caractères."),
    ],
)
def test_a_wrong_code_gets_a_clear_french_message_and_changes_nothing(client, point, staff, ready_order, code, message):
    client.force_login(staff)
    response = client.post(_url(point), {"action": "collect", "code": code,
                                         "parts": [p.pk for p in ready_order.shop_orders.all()]})
    assert response.status_code == 200
    assert message in _text(response)
    assert not Handover.objects.exists()
    assert {p.status for p in ready_order.shop_orders.all()} == {S.DROPPED}


@pytest.mark.parametrize("parts", [[], ["abc"], ["999999"]])
def test_tampered_part_choices_are_refused_with_a_message(client, point, staff, ready_order, parts):
    client.force_login(staff)
    response = client.post(_url(point), {"action": "collect", "code": _code(ready_order), "parts": parts})
    assert response.status_code == 200
    assert "alert-danger" in _text(response)
    assert not Handover.objects.exists()


def test_the_code_of_an_order_waiting_at_another_point_hands_over_nothing_here(client, staff, point):
    elsewhere = order_with_parts(count=1, point=CollectionPointFactory())
    part_advance(elsewhere.shop_orders.get(), to="dropped")
    client.force_login(staff)

    response = client.post(_url(point), {"action": "find", "code": _code(elsewhere)})

    assert "n'est pas (ou plus) à remettre à ce point de retrait" in _text(response)


@override_settings(HALLE_PICKUP_CODE_MAX_FAILURES=3)
def test_wrong_codes_are_limited_per_user_even_from_several_addresses(client, point, staff, ready_order):
    client.force_login(staff)
    for n in range(3):
        client.post(_url(point), {"action": "find", "code": "ZZZZZZ"}, REMOTE_ADDR=f"10.0.0.{n}")

    response = client.post(_url(point), {"action": "find", "code": _code(ready_order)}, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert "Trop de codes erronés" in _text(response)
    assert "Commande n°" not in _text(response)


@override_settings(HALLE_PICKUP_CODE_MAX_FAILURES=3)
def test_wrong_codes_are_limited_per_address_even_across_accounts(client, point, ready_order):
    for n in range(3):
        user = UserFactory(username=f"agent{n}")
        point_staff_add(point=point, user=user)
        client.force_login(user)
        client.post(_url(point), {"action": "find", "code": "ZZZZZZ"}, REMOTE_ADDR="10.1.1.1")
    other = UserFactory(username="agent-x")
    point_staff_add(point=point, user=other)
    client.force_login(other)

    assert client.post(_url(point), {"action": "find", "code": _code(ready_order)},
                       REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.post(_url(point), {"action": "find", "code": _code(ready_order)},
                       REMOTE_ADDR="10.1.1.2").status_code == 200


def test_valid_codes_do_not_count_towards_the_limit(client, point, staff, ready_order, settings):
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 2
    client.force_login(staff)
    for _ in range(5):
        assert client.post(_url(point), {"action": "find", "code": _code(ready_order)}).status_code == 200


def test_only_the_points_staff_reach_its_handover_page(client, point, ready_order):
    assert client.get(_url(point)).status_code == 302  # to the login page
    client.force_login(UserFactory(username="passant"))
    assert client.get(_url(point)).status_code == 403
    other_point_staff = UserFactory(username="ailleurs")
    point_staff_add(point=CollectionPointFactory(), user=other_point_staff)
    client.force_login(other_point_staff)
    assert client.get(_url(point)).status_code == 403


def test_the_handover_page_runs_a_constant_number_of_queries(client, point, staff, django_assert_max_num_queries):
    small = order_with_parts(count=1, point=point)
    big = order_with_parts(count=6, point=point)
    for order in (small, big):
        for part in order.shop_orders.all():
            part_advance(part, to="dropped")
    client.force_login(staff)
    client.post(_url(point), {"action": "find", "code": "ZZZZZZ"})  # warm the per-process caches
    counts = []
    for order in (small, big):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.post(_url(point), {"action": "find", "code": _code(order)})
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- merchants at their counter ---------------------------------------------------------


def _as_merchant(client, shop):
    user = merchant_of(shop)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = shop.pk
    session.save()
    return user


def test_a_merchant_hands_over_only_its_own_part_at_its_counter(client):
    order = order_with_parts(count=2, mode="shops")
    mine, theirs = order.shop_orders.order_by("pk")
    for part in (mine, theirs):
        part_advance(part, to="ready")
    merchant = _as_merchant(client, mine.shop)
    url = reverse("pickup:counter-handover")

    found = _text(client.post(url, {"action": "find", "code": _code(order)}))
    assert mine.shop.name in found and theirs.shop.name not in found
    assert theirs.lines.get().title not in found

    client.post(url, {"action": "collect", "code": _code(order), "parts": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.status == S.READY  # not its part: refused

    client.post(url, {"action": "collect", "code": _code(order), "parts": [mine.pk]})
    mine.refresh_from_db()
    assert mine.status == S.COLLECTED
    assert Handover.objects.get(order=order).by_user == merchant


def test_a_merchant_typing_the_code_of_an_order_collected_at_the_point_gets_nothing(client, ready_order):
    _as_merchant(client, ready_order.shop_orders.first().shop)
    response = client.post(reverse("pickup:counter-handover"), {"action": "find", "code": _code(ready_order)})
    assert "Aucune commande à remettre ici" in _text(response)


# --- merchants dropping at the point, lockers --------------------------------------------


def test_a_merchant_drops_its_part_and_is_told_where_to_put_it(client, point):
    order = order_with_parts(count=2, point=point)
    part = part_advance(order.shop_orders.order_by("pk").first(), to="ready")
    _as_merchant(client, part.shop)

    listing = _text(client.get(reverse("pickup:counter-drops")))
    assert f"Commande n° {order.number}" in listing
    response = client.post(reverse("pickup:counter-drops"), {"shop_order": part.pk}, follow=True)

    assert "déposée au point retrait de la Halle : étagère 1" in _text(response)
    part.refresh_from_db()
    assert part.status == S.DROPPED


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_dropping_someone_elses_or_a_made_up_part_is_refused(client, point, value):
    order = order_with_parts(count=2, point=point)
    mine, theirs = order.shop_orders.order_by("pk")
    part_advance(theirs, to="ready")
    _as_merchant(client, mine.shop)

    for candidate in (value, str(theirs.pk)):
        response = client.post(reverse("pickup:counter-drops"), {"shop_order": candidate}, follow=True)
        assert "Commande introuvable pour votre commerce." in _text(response)
    theirs.refresh_from_db()
    assert theirs.status == S.READY


def test_at_a_locker_the_drop_opens_the_compartment_and_the_code_opens_it_again():
    from django.test import Client

    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes du Beffroi", shelf_capacity=0)
    compartment = LockerCompartmentFactory(point=lockers, code="B3")
    order = order_with_parts(count=1, point=lockers)
    part = part_advance(order.shop_orders.get(), to="ready")
    merchant_client = Client()
    _as_merchant(merchant_client, part.shop)

    response = merchant_client.post(reverse("pickup:counter-drops"), {"shop_order": part.pk}, follow=True)
    assert "casier B3" in _text(response) and "porte du casier est ouverte" in _text(response)
    assert [e.reason for e in door_events()] == ["drop_off"]

    keypad = reverse("pickup:locker-keypad", kwargs={"point_id": lockers.pk})
    response = Client().post(keypad, {"code": _code(order)})

    assert "Le casier B3 est ouvert" in _text(response)
    assert [e.reason for e in door_events()] == ["drop_off", "collection"]
    part.refresh_from_db()
    assert part.status == S.COLLECTED
    handover = Handover.objects.get(order=order)
    assert handover.by_user.username == f"consigne-{lockers.pk}"
    from logistics.pickup.models import ParcelPlacement

    assert not ParcelPlacement.objects.filter(compartment=compartment, ended_at__isnull=True).exists()


def test_a_locker_door_that_does_not_open_marks_nothing_collected():
    from django.test import Client

    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    LockerCompartmentFactory(point=lockers, code="B5")
    order = order_with_parts(count=1, point=lockers)
    part = part_advance(order.shop_orders.get(), to="dropped")
    faulty_set(["B5"])

    response = Client().post(reverse("pickup:locker-keypad", kwargs={"point_id": lockers.pk}), {"code": _code(order)})

    assert "Le casier B5 ne s'ouvre pas" in _text(response)
    part.refresh_from_db()
    assert part.status == S.DROPPED and not Handover.objects.exists()


def test_the_back_office_drop_button_names_the_compartment_and_opens_its_door(client):
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    LockerCompartmentFactory(point=lockers, code="B4")
    order = order_with_parts(count=1, point=lockers)
    part = part_advance(order.shop_orders.get(), to="ready")
    _as_merchant(client, part.shop)

    response = client.post(reverse("backoffice:order-step", kwargs={"shop_order_pk": part.pk}),
                           {"action": "drop"}, follow=True)

    assert "déposée au point de retrait : casier B4" in _text(response)
    assert [(e.compartment_code, e.reason) for e in door_events()] == [("B4", "drop_off")]
    part.refresh_from_db()
    assert part.status == S.DROPPED

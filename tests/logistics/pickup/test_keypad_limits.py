"""A locker bank's keypad: wrong codes are limited per address and per bank (guessing does
not scale with the number of addresses), the bank's staff are told once per lock-out, the
keypad's counters never lock the staff's page, and a code live elsewhere reads as unknown."""
from __future__ import annotations

import html as html_lib

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from logistics.models import PointKind
from logistics.pickup.models import Handover, PickupCode
from logistics.pickup.ratelimit import bank_key, counters_reset, keypad_counters
from logistics.pickup.services.alerts import locker_lockout_alert
from logistics.pickup.services.staff import point_staff_add
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.notifications.services import notification_send
from marketplace.order.models import ShopOrderStatus
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory
from tests.factories.pickup import order_with_parts, part_advance
from tests.support.pages import page_without_per_response_tokens

pytestmark = pytest.mark.django_db
S = ShopOrderStatus
WRONG = "ZZZZZZ"


@pytest.fixture
def bank():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes du Beffroi", shelf_capacity=0)
    for n in range(1, 4):
        LockerCompartmentFactory(point=lockers, code=f"A{n}")
    return lockers


@pytest.fixture
def bank_staff(bank):
    user = UserFactory(username="agent-consigne", email="consigne.equipe@halle.test")
    point_staff_add(point=bank, user=user)
    return user


def _waiting_at(point, *, to="dropped"):
    order = order_with_parts(count=1, point=point)
    part_advance(order.shop_orders.get(), to=to)
    return order


def _code(order) -> str:
    return PickupCode.objects.get(order=order).code


def _keypad(point, code: str, ip: str = "10.9.0.1", client=None):
    return (client or Client()).post(reverse("pickup:locker-keypad", kwargs={"point_id": point.pk}),
                                     {"code": code}, REMOTE_ADDR=ip)


def _text(response) -> str:
    return html_lib.unescape(response.content.decode())


def test_ten_wrong_codes_at_the_keypad_leave_the_staff_page_of_the_same_address_working(client, settings):
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 10
    point = CollectionPointFactory(shelf_capacity=10)
    staff = UserFactory(username="agent-halle")
    point_staff_add(point=point, user=staff)
    order = _waiting_at(point)
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    shared_ip = "10.9.9.9"  # the point's counter and the bank on one network
    for _ in range(10):
        assert _keypad(lockers, WRONG, ip=shared_ip).status_code == 200
    assert _keypad(lockers, WRONG, ip=shared_ip).status_code == 429  # the keypad itself is locked for it

    client.force_login(staff)
    response = client.post(reverse("pickup:point-handover", kwargs={"point_id": point.pk}),
                           {"action": "find", "code": _code(order)}, REMOTE_ADDR=shared_ip)

    assert response.status_code == 200
    assert f"Commande n° {order.number}" in _text(response)


def test_wrong_codes_from_many_addresses_lock_the_bank_for_every_address(bank, bank_staff, settings):
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 3
    settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = 5
    order = _waiting_at(bank)
    for n in range(5):  # one wrong code from each of five addresses: under every per-address limit
        assert _keypad(bank, WRONG, ip=f"10.8.0.{n}").status_code == 200

    locked = _keypad(bank, _code(order), ip="10.8.1.1")  # a new address, and the right code

    assert locked.status_code == 429
    assert "son clavier est bloqué" in _text(locked)
    assert not Handover.objects.exists()
    assert order.shop_orders.get().status == S.DROPPED


def test_the_bank_lock_does_not_reach_another_bank(bank, settings):
    settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = 2
    other = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    LockerCompartmentFactory(point=other, code="Z1")
    order = _waiting_at(other)
    for n in range(3):
        _keypad(bank, WRONG, ip=f"10.7.0.{n}")

    assert "est ouvert" in _text(_keypad(other, _code(order), ip="10.7.1.1"))


def test_the_banks_staff_get_one_french_email_per_lock_out(bank, bank_staff, settings, django_capture_on_commit_callbacks):
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 100
    settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = 4
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(9):  # reaches the limit at the 4th, then five more refused attempts
            _keypad(bank, WRONG, ip=f"10.6.0.{n}")

    alerts = OrderNotification.objects.filter(event=NotificationEvent.LOCKER_LOCKED)
    assert [(a.order_id, a.recipient) for a in alerts] == [(None, "consigne.equipe@halle.test")]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["consigne.equipe@halle.test"]
    assert message.subject == "Clavier bloqué : Consignes du Beffroi (4 codes erronés)"
    assert "4 codes erronés ont été saisis en moins de 15 minutes" in message.body
    assert reverse("pickup:point-handover", kwargs={"point_id": bank.pk}) in message.body
    assert "consigne-" not in " ".join(message.to)  # never the bank's own system account

    counters_reset(counters=keypad_counters(point_id=bank.pk))  # the window is over
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            _keypad(bank, WRONG, ip=f"10.6.1.{n}")
    assert alerts.all().count() == 2 and len(mail.outbox) == 2  # a second lock-out, a second e-mail


def test_the_same_lock_out_noticed_twice_owes_one_email(bank, bank_staff):
    assert locker_lockout_alert(point=bank, lockout_id=1_767_000_000_000) == 1
    assert locker_lockout_alert(point=bank, lockout_id=1_767_000_000_000) == 0
    row = OrderNotification.objects.get(event=NotificationEvent.LOCKER_LOCKED)
    assert notification_send(notification_id=row.pk) == "sent"
    assert notification_send(notification_id=row.pk) == "already_sent"


def test_a_bank_without_staff_of_its_own_alerts_the_towns_staff(bank):
    UserFactory(username="manager", email="centre-ville@halle.test", is_staff=True)

    assert locker_lockout_alert(point=bank, lockout_id=1_767_000_000_000) == 1
    assert OrderNotification.objects.get().recipient == "centre-ville@halle.test"


def test_a_code_live_at_another_point_gets_the_answer_of_an_unknown_code(bank):
    at_town_point = _waiting_at(CollectionPointFactory())
    other_bank = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    LockerCompartmentFactory(point=other_bank, code="Q1")
    at_other_bank = _waiting_at(other_bank)
    collected_here = _waiting_at(bank)
    assert "est ouvert" in _text(_keypad(bank, _code(collected_here), ip="10.5.1.1"))  # its code is now closed
    made_up = "ZZZ-ZZZ"
    assert not PickupCode.objects.filter(code="ZZZZZZ").exists()

    answers = [_keypad(bank, code, ip=f"10.5.0.{n}") for n, code in enumerate(
        [made_up, _code(at_town_point), _code(at_other_bank), _code(collected_here)])]

    assert {r.status_code for r in answers} == {200}
    assert len({page_without_per_response_tokens(r) for r in answers}) == 1  # byte for byte, but the CSRF token and CSP nonce
    assert "Code inconnu pour cette consigne" in _text(answers[0])
    from django.core.cache import cache

    assert cache.get(bank_key(point_id=bank.pk)) == 4  # each of them counted alike


def test_right_codes_and_typos_do_not_count_at_the_keypad(bank, settings):
    settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = 2
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 2
    for _ in range(4):
        order = _waiting_at(bank)
        assert "est ouvert" in _text(_keypad(bank, _code(order), ip="10.4.0.1"))
        assert "6 caractères" in _text(_keypad(bank, "AB", ip="10.4.0.1"))
    assert _keypad(bank, WRONG, ip="10.4.0.1").status_code != 429

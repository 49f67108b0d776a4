"""Parts not dropped (or not ready) in time: the merchant's reminder before the slot, the
shopper's delay e-mail once the slot has started, each once."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from logistics.models import Slot
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order.models import ShopOrderStatus
from marketplace.order.services import shop_order_cancel
from logistics.pickup.selectors import shop_orders_late
from logistics.pickup.services.lateness import drop_reminders_send, drops_watch, late_orders_notify
from tests.factories.logistics import CollectionPointFactory, SlotFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db
S = ShopOrderStatus
E = NotificationEvent
PARIS = timezone.get_default_timezone()
SLOT_START = dt.datetime(2026, 6, 10, 10, tzinfo=PARIS)  # a Wednesday


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, 10, hour, minute, tzinfo=PARIS)


def _slot_at(point, start: dt.datetime) -> Slot:
    return SlotFactory(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1))


def _named(order) -> list:
    """The order's parts by pk, each shop given its own e-mail address."""
    parts = list(order.shop_orders.select_related("shop").order_by("pk"))
    for i, part in enumerate(parts):
        part.shop.email = f"commerce{i}@exemple.fr"
        part.shop.save(update_fields=["email"])
    return parts


@pytest.fixture
def at_point(settings):
    """An order collected at the town point, slot 10:00–11:00: one part dropped, one ready,
    one accepted, one cancelled by its shop."""
    settings.HALLE_DROP_REMINDER_MINUTES = 60
    point = CollectionPointFactory(name="Point retrait de la Halle")
    order = order_with_parts(count=4, point=point, slot=_slot_at(point, SLOT_START))
    dropped, ready, accepted, cancelled = _named(order)
    early = at(7)
    part_advance(dropped, to="dropped", now=early)
    part_advance(ready, to="ready", now=early)
    part_advance(accepted, to="accepted", now=early)
    shop_order_cancel(shop_order=cancelled, user=merchant_of(cancelled.shop), now=early)
    return order, {"dropped": dropped, "ready": ready, "accepted": accepted, "cancelled": cancelled}


def _reminded(order) -> dict[str, str]:
    return dict(
        OrderNotification.objects.filter(order=order, event=E.DROP_REMINDER).values_list("scope", "recipient")
    )


# --- the merchant's reminder before the slot ---------------------------------------------


def test_each_merchant_whose_part_is_not_dropped_is_reminded_once_an_hour_before_the_slot(at_point):
    order, parts = at_point

    assert drop_reminders_send(now=at(8, 59)) == 0
    assert drop_reminders_send(now=at(9)) == 2
    assert drop_reminders_send(now=at(9, 30)) == 0

    assert _reminded(order) == {
        f"shop_order:{parts['ready'].pk}": "commerce1@exemple.fr",
        f"shop_order:{parts['accepted'].pk}": "commerce2@exemple.fr",
    }  # not the dropped part, not the cancelled one


def test_the_reminder_lead_time_follows_the_setting(at_point, settings):
    settings.HALLE_DROP_REMINDER_MINUTES = 15

    assert drop_reminders_send(now=at(9, 44)) == 0
    assert drop_reminders_send(now=at(9, 45)) == 2


def test_no_reminder_once_the_slot_has_ended(at_point):
    assert drop_reminders_send(now=at(11)) == 0


def test_orders_collected_at_each_shop_get_no_drop_reminder(settings):
    settings.HALLE_DROP_REMINDER_MINUTES = 60
    order = order_with_parts(count=2, mode="shops")
    parts = _named(order)
    part_advance(parts[0], to="accepted")
    first_start = min(part.slot.starts_at for part in parts)

    assert drop_reminders_send(now=first_start - dt.timedelta(minutes=30)) == 0
    assert not OrderNotification.objects.filter(event=E.DROP_REMINDER).exists()


def test_a_shop_without_an_address_is_reminded_at_its_owner_and_never_at_the_shopper(settings):
    settings.HALLE_DROP_REMINDER_MINUTES = 60
    point = CollectionPointFactory()
    order = order_with_parts(count=2, point=point, slot=_slot_at(point, SLOT_START),
                             guest_email="camille@exemple.fr")
    staffed, nobody = order.shop_orders.select_related("shop").order_by("pk")
    part_advance(staffed, to="accepted")  # its staff member has an address; the other shop has no one

    assert drop_reminders_send(now=at(9, 30)) == 1
    assert _reminded(order) == {f"shop_order:{staffed.pk}": merchant_of(staffed.shop).email}
    assert "camille@exemple.fr" not in _reminded(order).values()


def test_the_drop_reminder_is_in_french_and_shows_the_part_not_the_shoppers_link(
    at_point, django_capture_on_commit_callbacks
):
    order, parts = at_point
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        drop_reminders_send(now=at(9))

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"commerce1@exemple.fr", "commerce2@exemple.fr"}
    message = by_recipient["commerce2@exemple.fr"]
    accepted = parts["accepted"]
    assert message.subject == f"À déposer avant 10h00 : commande n° {order.number} (Point retrait de la Halle)"
    body = message.body
    assert "Une commande attend votre dépôt." in body
    assert "vient la chercher le mercredi 10 juin entre 10h00 et 11h00" in body
    assert "Point de retrait : Point retrait de la Halle, 2 place de la Halle" in body
    assert "Votre part n’y est pas encore déposée (état : acceptée)." in body
    line = accepted.lines.get()
    assert f"  - {line.quantity} × {line.title}" in body
    assert "Préparez-la et déposez-la avant le début du créneau" in body
    assert f"/espace-commercant/commandes/{accepted.pk}/" in body and "/retrait/comptoir/depots/" in body
    assert "/retrait/suivi/" not in body  # the shopper's status link is not the merchant's to use
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html and "Ouvrir la commande" in html and "Suivre ma commande" not in html
    assert "Déposez-la avant le début du créneau" in by_recipient["commerce1@exemple.fr"].body  # already ready


# --- the shopper's delay e-mail once the slot has started ------------------------------


def test_once_the_slot_has_started_with_parts_not_dropped_the_shopper_is_told_once(at_point):
    order, parts = at_point

    assert late_orders_notify(now=at(9, 59)) == 0
    assert late_orders_notify(now=at(10)) == 1
    assert late_orders_notify(now=at(10, 30)) == 0

    row = OrderNotification.objects.get(order=order, event=E.ORDER_LATE)
    assert row.recipient == order.email and row.scope == ""
    assert row.payload == {"shops": sorted([parts["ready"].shop.name, parts["accepted"].shop.name]),
                           "at_point": True}


def test_no_delay_email_when_every_part_left_is_dropped_in_time(settings):
    point = CollectionPointFactory()
    order = order_with_parts(count=2, point=point, slot=_slot_at(point, SLOT_START))
    first, second = order.shop_orders.order_by("pk")
    part_advance(first, to="dropped", now=at(8))
    shop_order_cancel(shop_order=second, user=merchant_of(second.shop), now=at(8))

    assert late_orders_notify(now=at(10, 5)) == 0
    assert not shop_orders_late(now=at(10, 5)).exists()


def test_at_each_shop_a_part_not_ready_when_its_slot_starts_is_late_and_a_ready_one_is_not():
    order = order_with_parts(count=2, mode="shops")
    ready, preparing = order.shop_orders.select_related("shop", "slot").order_by("pk")
    part_advance(ready, to="ready")
    part_advance(preparing, to="preparing")
    after_both = max(ready.slot.starts_at, preparing.slot.starts_at) + dt.timedelta(minutes=5)

    assert list(shop_orders_late(now=after_both)) == [preparing]
    assert late_orders_notify(now=after_both) == 1
    row = OrderNotification.objects.get(order=order, event=E.ORDER_LATE)
    assert row.payload == {"shops": [preparing.shop.name], "at_point": False}


def test_a_ready_part_at_a_point_is_still_late_until_dropped(at_point):
    order, parts = at_point
    late = shop_orders_late(now=at(10, 1))
    assert {p.pk for p in late} == {parts["ready"].pk, parts["accepted"].pk}


def test_a_slot_started_more_than_a_day_ago_gets_no_delay_email_but_stays_listed(at_point):
    order, parts = at_point
    two_days_later = at(10) + dt.timedelta(days=2)

    assert late_orders_notify(now=two_days_later) == 0
    assert shop_orders_late(now=two_days_later).filter(order=order).count() == 2


def test_the_delay_email_is_in_french_and_names_the_shops_not_done(at_point, django_capture_on_commit_callbacks):
    order, parts = at_point
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        late_orders_notify(now=at(10, 2))

    assert [m.to for m in mail.outbox] == [[order.email]]
    message = mail.outbox[0]
    assert message.subject == f"Votre commande n° {order.number} a du retard"
    body = message.body
    assert "Votre commande a du retard." in body
    assert f"votre commande n° {order.number} n’est pas encore prête à l’heure prévue" in body
    names = sorted([parts["ready"].shop.name, parts["accepted"].shop.name])
    assert f"Les commerces qui n’ont pas encore terminé : {', '.join(names)}." in body
    assert "Inutile de vous déplacer pour l’instant" in body and "au point de retrait" in body
    assert f"/retrait/suivi/{order.number}/" in body
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html and "Votre commande a du retard" in html and "Suivre ma commande" in html


def test_the_beat_job_reminds_then_tells_the_shopper(at_point):
    assert drops_watch(now=at(9, 10)) == {"drop_reminders": 2, "late_orders": 0}
    assert drops_watch(now=at(10, 10)) == {"drop_reminders": 0, "late_orders": 1}
    assert drops_watch(now=at(10, 20)) == {"drop_reminders": 0, "late_orders": 0}

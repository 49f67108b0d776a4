"""The notification outbox: record in the causing transaction, send once after commit.

What "exactly once" means here
------------------------------
* **One intent.** ``notification_enqueue`` writes at most one row per
  (order, event, scope), in the transaction of the change that causes it: if that
  transaction rolls back, nothing is owed; if it commits, the row exists, even if the
  broker is down (the after-commit enqueue is best effort; ``notifications_requeue``,
  run by beat, sends what was never picked up).
* **One send.** ``notification_send`` locks the row (``SELECT … FOR UPDATE SKIP
  LOCKED``) for the whole send and marks it sent in the same transaction. A task
  delivered twice, or a copy running while the first still sends, finds the row
  sent or locked and sends nothing.
* **A crash.** If the worker dies before the mail server accepted the message, its
  transaction dies with its connection: the row is still pending, unlocked, and the
  re-delivered task (``acks_late`` + ``task_reject_on_worker_lost``) or the next
  requeue sends it: exactly one e-mail. The one window left is a crash after the mail
  server accepted the message and before COMMIT returns: that e-mail is sent again,
  once (each attempt carries the same Message-ID, so a deduplicating mail system drops
  the copy). Exactly-once is therefore "at least once, and at most one copy more per
  crash inside that window"; no lost e-mail in any case.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.core.db import row_insert_unless_exists
from marketplace.notifications.models import (
    MERCHANT_EVENTS,
    POINT_EVENTS,
    NotificationEvent,
    NotificationStatus,
    OrderNotification,
)

logger = logging.getLogger(__name__)

#: After this many failed attempts a notification is abandoned (status ``failed``).
MAX_ATTEMPTS = 8
#: A pending row never attempted is left to its own after-commit task this long.
REQUEUE_GRACE = dt.timedelta(minutes=2)


def _backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most an hour (below the broker's visibility timeout)."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _enqueue_after_commit(notification_id: int) -> None:
    from marketplace.notifications.tasks import notification_send_task

    # robust: a broker outage must not fail the request that already committed;
    # the row stays pending and notifications_requeue sends it later.
    transaction.on_commit(partial(notification_send_task.delay, notification_id), robust=True)


def notification_enqueue(
    *, order, event: str, scope: str = "", payload: dict | None = None, recipient: str | None = None
) -> OrderNotification | None:
    """Owe the shopper of ``order`` the e-mail of ``event`` (once per order, event and scope).

    Call it inside the transaction of the change that causes it. Returns the new row,
    or ``None`` when this (order, event, scope) is already owed or sent, or when there
    is no address. A merchant event goes to ``recipient`` only: never to the shopper.
    """
    if event not in NotificationEvent.values or event in POINT_EVENTS:
        raise ValueError(f"unknown notification event {event!r} for an order")
    fallback = "" if event in MERCHANT_EVENTS else order.email
    recipient = (recipient or fallback or "").strip()
    if not recipient:
        logger.warning("no e-mail address for %s of order %s: not notified", event, order.pk)
        return None
    notification = OrderNotification(
        order=order, event=event, scope=scope, recipient=recipient, payload=payload or {},
        next_attempt_at=timezone.now(),
    )
    if not row_insert_unless_exists(notification):  # already owed or sent (the unique constraint)
        return None
    _enqueue_after_commit(notification.pk)
    return notification


def point_staff_notify(*, event: str, scope: str, recipients, payload: dict | None = None) -> int:
    """Owe each of ``recipients`` (addresses of a collection point's staff) the e-mail of a
    ``POINT_EVENTS`` event, once per (event, scope, address); returns how many this call owed.

    These alerts concern no order; ``scope`` names the occurrence (a lock-out's window), so
    a repeated cause owes nothing more. Call it in the transaction of the cause, if any.
    """
    if event not in POINT_EVENTS:
        raise ValueError(f"{event!r} is not an alert to a point's staff")
    if len(scope) > 50:
        raise ValueError("scope too long (50 characters at most, with the address's digest after it)")
    owed = 0
    for recipient in sorted({(r or "").strip().lower() for r in recipients} - {""}):
        notification = OrderNotification(
            order=None, event=event, recipient=recipient, payload=payload or {},
            scope=f"{scope}:{hashlib.blake2s(recipient.encode(), digest_size=6).hexdigest()}",
            next_attempt_at=timezone.now(),
        )
        if row_insert_unless_exists(notification):
            _enqueue_after_commit(notification.pk)
            owed += 1
    return owed


def shop_order_scope(*, shop_order_id: int) -> str:
    """The outbox scope of a merchant's e-mail about one shop part."""
    return f"shop_order:{shop_order_id}"


def shop_orders_notify(*, order, shop_orders, event: str) -> int:
    """Owe each shop of ``shop_orders`` (parts of ``order``) the merchant e-mail of ``event``
    about its part (once per part, scope ``shop_order:<id>``); returns how many this call owed.

    Call it in the transaction of the change that causes it. The addresses are read at once
    (``shop_contact_emails``: the shop's, else an owner's, else a staff member's); a shop with
    none is logged and skipped (its back-office still shows the part).
    """
    from shops.staff.selectors import shop_contact_emails

    shop_orders = list(shop_orders)
    recipients = shop_contact_emails(shops=[part.shop for part in shop_orders])
    owed = 0
    for part in shop_orders:
        recipient = recipients.get(part.shop_id, "")
        if not recipient:
            logger.warning("shop %s has no e-mail address: %s of part %s not notified", part.shop_id, event, part.pk)
            continue
        owed += notification_enqueue(
            order=order,
            event=event,
            scope=shop_order_scope(shop_order_id=part.pk),
            recipient=recipient,
            payload={"shop_order_id": part.pk, "shop": part.shop.name},
        ) is not None
    return owed


def shop_orders_placed_notify(*, order, shop_orders) -> int:
    """Owe each shop of a new order the e-mail of its part (``shop_orders_notify``)."""
    return shop_orders_notify(order=order, shop_orders=shop_orders, event=NotificationEvent.SHOP_ORDER_PLACED)


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "halle.localhost"


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> str:
    """Send one pending notification; returns what happened.

    ``"sent"``; ``"already_sent"`` / ``"failed"`` (nothing to do); ``"busy"`` (another
    worker holds it right now); ``"missing"`` (the order was deleted); ``"retry"``
    (the mail server or rendering failed: the row is rescheduled with a back-off).
    """
    from marketplace.notifications.messages import notification_message_build

    now_given = now
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            OrderNotification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notification_id)
            .first()
        )
        if row is None:
            return "busy" if OrderNotification.objects.filter(pk=notification_id).exists() else "missing"
        if row.status == NotificationStatus.SENT:
            return "already_sent"
        if row.status == NotificationStatus.FAILED:
            return "failed"
        row.attempts += 1
        try:
            with transaction.atomic():  # a database error while rendering only undoes this part
                message = notification_message_build(notification=row, message_id_domain=_message_id_domain())
                message.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried later
            logger.exception("notification %s (%s) not sent", row.pk, row.event)
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = NotificationStatus.FAILED
                row.next_attempt_at = None
            else:
                row.next_attempt_at = now + _backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "retry"
        row.status = NotificationStatus.SENT
        row.sent_at = timezone.now() if now_given is None else now  # when the mail server took it
        row.next_attempt_at = None
        row.last_error = ""
        row.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
        return "sent"


def notifications_requeue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Enqueue the pending rows that are due and were not picked up (broker outage, crash).

    Sending twice the same row is harmless (see ``notification_send``), so overlapping
    runs need no coordination.
    """
    from marketplace.notifications.tasks import notification_send_task

    now = now or timezone.now()
    due = list(
        OrderNotification.objects.filter(
            status=NotificationStatus.PENDING,
            next_attempt_at__lte=now,
            created_at__lte=now - REQUEUE_GRACE,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        notification_send_task.delay(pk)
    return len(due)

"""Building the e-mail of an outbox row: French, text and HTML, the QR code inline.

A merchant's e-mail (``MERCHANT_EVENTS``) is about one shop part (``payload["shop_order_id"]``)
and links to the merchant's back-office, never to the shopper's status page."""
from __future__ import annotations

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.notifications.models import MERCHANT_EVENTS, POINT_EVENTS, NotificationEvent, OrderNotification
from logistics.pickup.qr import qr_png
from logistics.pickup.selectors import order_for_pickup_get, order_pickup_summary

QR_CONTENT_ID = "qr-code-retrait"
#: Events whose e-mail shows the pickup code (and its QR code) when the order has one.
EVENTS_WITH_CODE = {NotificationEvent.ORDER_READY, NotificationEvent.SLOT_REMINDER, NotificationEvent.DELIVERY_FAILED,
                    NotificationEvent.MISSED_SLOT_REMINDER}


def _part_of(order, payload: dict):
    """The shop part a merchant's e-mail is about, among the order's prefetched parts."""
    wanted = payload.get("shop_order_id")
    return next((part for part in order.shop_orders.all() if part.pk == wanted), None)


def _point_context(notification: OrderNotification) -> dict:
    """An alert to a collection point's staff: about the point named in the payload, no order."""
    from logistics.models import CollectionPoint

    point = CollectionPoint.objects.filter(pk=notification.payload.get("point_id")).first()
    site_url = settings.HALLE_SITE_URL.rstrip("/")
    return {
        "notification": notification,
        "event": notification.event,
        "payload": notification.payload,
        "point": point,
        "point_url": site_url + (reverse("pickup:point-handover", args=[point.pk]) if point else reverse("pickup:point-choose")),
        "show_code": False,
        "qr_cid": "",
        "brand": settings.OSCAR_SHOP_NAME,
        "town": settings.HALLE_TOWN_NAME,
        "site_url": site_url,
    }


def notification_context(*, notification: OrderNotification) -> dict:
    if notification.event in POINT_EVENTS:
        return _point_context(notification)
    order = order_for_pickup_get(pk=notification.order_id)
    summary = order_pickup_summary(order=order)
    show_code = notification.event in EVENTS_WITH_CODE and summary.code_open
    site_url = settings.HALLE_SITE_URL.rstrip("/")
    part = _part_of(order, notification.payload) if notification.event in MERCHANT_EVENTS else None
    return {
        "part": part,
        "backoffice_url": site_url + (
            reverse("backoffice:order-detail", args=[part.pk]) if part else reverse("backoffice:orders")
        ),
        "drops_url": site_url + reverse("pickup:counter-drops"),
        "notification": notification,
        "event": notification.event,
        "order": order,
        "summary": summary,
        "payload": notification.payload,
        "show_code": show_code,
        "qr_cid": QR_CONTENT_ID if show_code else "",
        "brand": settings.OSCAR_SHOP_NAME,
        "town": settings.HALLE_TOWN_NAME,
        "site_url": site_url,
        "no_show_days": settings.HALLE_NO_SHOW_DAYS,
    }


def notification_message_build(*, notification: OrderNotification, message_id_domain: str) -> EmailMultiAlternatives:
    """The e-mail, in French whatever the worker's locale; the same Message-ID on every attempt
    (a mail system that deduplicates drops a resend)."""
    with translation.override("fr"):
        return _build(notification, message_id_domain)


def _build(notification: OrderNotification, message_id_domain: str) -> EmailMultiAlternatives:
    context = notification_context(notification=notification)
    base = f"notifications/email/{notification.event}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Message-ID": f"<halle-notification-{notification.pk}@{message_id_domain}>",
            "X-Halle-Notification": f"{notification.pk}:{notification.event}",
        },
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    if context["show_code"]:
        message.mixed_subtype = "related"
        image = MIMEImage(qr_png(context["summary"].code), _subtype="png")
        image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
        image.add_header("Content-Disposition", "inline", filename="code-retrait.png")
        message.attach(image)
    return message

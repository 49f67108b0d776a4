"""The notification outbox: one row per (order, event, scope), written in the transaction
of the change that causes it (or by a beat job), sent after commit by Celery. Alerts to a
collection point's staff (``POINT_EVENTS``) concern no order: one row per (event, scope)."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationEvent(models.TextChoices):
    ORDER_PLACED = "order_placed", _("commande confirmée")
    ORDER_READY = "order_ready", _("commande prête (code de retrait)")
    SLOT_REMINDER = "slot_reminder", _("rappel avant le créneau")
    MISSED_SLOT_REMINDER = "missed_slot_reminder", _("rappel après un créneau manqué")
    ORDER_EXPIRED = "order_expired", _("commande expirée")
    ORDER_CANCELLED = "order_cancelled", _("commande annulée")
    PART_UNAVAILABLE = "part_unavailable", _("articles indisponibles")
    ORDER_LATE = "order_late", _("commande en retard")
    ORDER_COLLECTED = "order_collected", _("commande retirée (reçu)")
    # Home delivery (logistics.delivery.services.stops): the round left, the parcel was handed
    # over, or it could not be and waits at the town point (scope "booking:<id>").
    OUT_FOR_DELIVERY = "out_for_delivery", _("commande en route (livraison)")
    ORDER_DELIVERED = "order_delivered", _("commande livrée")
    DELIVERY_FAILED = "delivery_failed", _("livraison impossible (retrait au point)")
    # To the merchant, not the shopper: one per shop part (scope "shop_order:<id>").
    DROP_REMINDER = "drop_reminder", _("rappel de dépôt au commerçant")
    SHOP_ORDER_PLACED = "shop_order_placed", _("nouvelle commande au commerçant")
    # To a collection point's staff, about no order: a locker bank's keypad locked by wrong codes.
    LOCKER_LOCKED = "locker_locked", _("clavier de consigne bloqué")


#: Events whose e-mail goes to a shop, never to the order's shopper.
MERCHANT_EVENTS = frozenset({NotificationEvent.DROP_REMINDER, NotificationEvent.SHOP_ORDER_PLACED})
#: Events whose e-mail goes to a collection point's staff and concern no order (``order`` is empty).
POINT_EVENTS = frozenset({NotificationEvent.LOCKER_LOCKED})


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyée")
    FAILED = "failed", _("abandonnée")


class OrderNotification(models.Model):
    """An e-mail owed about ``order``: to its shopper, or to one of its shops for the
    ``MERCHANT_EVENTS`` (``recipient`` is then the shop's address); or, for the
    ``POINT_EVENTS``, about no order, to one of a collection point's staff.

    ``scope`` tells apart the rows of an event that may happen once per shop part
    (``"shop_order:<id>"`` for a part made unavailable); it is empty for events of
    the whole order. The unique constraint makes a repeated cause (a retried task,
    two overlapping beat runs) a no-op instead of a second e-mail.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("commande"),
        null=True, blank=True,
    )
    event = models.CharField(_("événement"), max_length=32, choices=NotificationEvent.choices)
    scope = models.CharField(_("portée"), max_length=64, blank=True, default="")
    recipient = models.EmailField(_("destinataire"), max_length=254)
    payload = models.JSONField(_("données"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives échouées ou abouties"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["order", "event", "scope"], name="notification_once_per_order_event"),
            # NULLs are distinct in a unique index: the order-less rows need their own.
            models.UniqueConstraint(
                fields=["event", "scope"], condition=Q(order__isnull=True), name="notification_once_per_event_without_order"
            ),
            models.CheckConstraint(
                condition=(Q(order__isnull=True) & Q(event__in=list(POINT_EVENTS)))
                | (Q(order__isnull=False) & ~Q(event__in=list(POINT_EVENTS))),
                name="notification_order_unless_point_event",
            ),
            models.CheckConstraint(
                condition=Q(status=NotificationStatus.SENT, sent_at__isnull=False)
                | (~Q(status=NotificationStatus.SENT) & Q(sent_at__isnull=True)),
                name="notification_sent_iff_sent_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        about = f"commande {self.order_id}" if self.order_id else self.scope
        return f"{self.get_event_display()} — {about} ({self.get_status_display()})"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("abandonné")
    CANCELLED = "cancelled", _("annulé")


class OutboxEmail(models.Model):
    """An e-mail owed to someone who is not an order's shopper (a shop's applicant, a
    newsletter subscriber), rendered when it is owed and sent after commit, once.

    ``key`` names its cause (``"application:12:changes:3"``, ``"newsletter:4:17"``): the
    unique constraint makes a repeated cause a no-op, as ``OrderNotification``'s does.
    ``topic`` groups rows that one decision may cancel before they are sent (an
    unsubscription cancels the ``newsletter`` rows still pending for its address).
    """

    key = models.CharField(_("clé"), max_length=160, unique=True)
    topic = models.CharField(_("sujet"), max_length=32, db_index=True)
    recipient = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail en attente d'envoi")
        verbose_name_plural = _("e-mails en attente d'envoi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="outbox_email_sent_iff_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_email_due"),
            models.Index(fields=["topic", "recipient", "status"], name="outbox_email_topic_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient} ({self.get_status_display()})"

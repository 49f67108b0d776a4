"""Shoppers' consent to the town's newsletter, and the newsletters sent.

RGPD: the consent is recorded with its date and the wording the shopper agreed to;
unsubscribing (from a signed link, without logging in) sets ``unsubscribed_at`` and
cancels what is still queued for that address, in the same transaction.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class NewsletterSubscription(models.Model):
    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="newsletter_subscriptions",
        verbose_name=_("compte"),
    )
    consented_at = models.DateTimeField(_("accord donné le"))
    consent_text = models.CharField(_("texte accepté"), max_length=300)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("abonnement à la lettre")
        verbose_name_plural = _("abonnements à la lettre")
        indexes = [models.Index(fields=["unsubscribed_at"], name="town_newsletter_active")]
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="town_newsletter_email_lower"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class Newsletter(TimeStampedModel):
    """One letter to every subscriber: e-mailed through the outbox, once per recipient
    (outbox key ``newsletter:<id>:<subscription id>``)."""

    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("texte"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("écrite par"),
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("envoyée par"),
    )
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lettre du centre-ville")
        verbose_name_plural = _("lettres du centre-ville")

    def __str__(self) -> str:
        return self.subject

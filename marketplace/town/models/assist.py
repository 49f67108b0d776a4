"""Assisted mode: a merchant lets the town act in its back-office for a while, and every
write done that way is kept (who, for whom, when, what changed, before and after),
readable by the shop and by the manager."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AssistConsent(models.Model):
    """The shop's agreement that the town's manager acts on its behalf until ``expires_at``
    (or until revoked). Granted by the shop's owner from the back-office."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="assist_consents", verbose_name=_("commerce"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("accordé par")
    )
    granted_at = models.DateTimeField(_("accordé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    note = models.CharField(_("pour quoi"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("retiré par"),
    )

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("accord d'assistance")
        verbose_name_plural = _("accords d'assistance")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("granted_at")), name="town_assist_expires_after_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.shop} — jusqu'au {self.expires_at:%d/%m/%Y %H:%M}"


class AuditOutcome(models.TextChoices):
    CHANGED = "changed", _("modifié")
    UNCHANGED = "unchanged", _("aucune modification")
    REFUSED = "refused", _("refusé")
    SESSION = "session", _("mode assisté")


class AssistAuditEntry(models.Model):
    """One action of the manager in a shop's back-office. ``changes`` maps what changed
    to ``[before, after]`` (texts, as the merchant reads them)."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="assist_audit", verbose_name=_("commerce"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    consent = models.ForeignKey(
        AssistConsent, on_delete=models.PROTECT, related_name="entries", verbose_name=_("accord")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    label = models.CharField(_("quoi"), max_length=200)
    path = models.CharField(_("page"), max_length=255, blank=True)
    outcome = models.CharField(_("résultat"), max_length=16, choices=AuditOutcome.choices)
    changes = models.JSONField(_("avant / après"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action en mode assisté")
        verbose_name_plural = _("actions en mode assisté")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} pour {self.shop} : {self.label}"

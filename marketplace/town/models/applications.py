"""A shop's application to join Halle, from the public « Rejoindre Halle » form to the
manager's decision (approved: the Partner, the Shop and the owner's invitation exist)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel
from shops.models import Trade


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("À examiner")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Acceptée")
    DECLINED = "declined", _("Refusée")


#: An application the manager or the applicant still has to act on.
OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED)


class Fulfilment(models.TextChoices):
    AT_SHOP = "boutique", _("Retrait dans ma boutique")
    AT_POINT = "point", _("Dépôt au point de retrait de la ville")
    LOCKERS = "consigne", _("Dépôt en consigne automatique")
    DELIVERY = "livraison", _("Livraison par la tournée locale")


class ShopApplication(TimeStampedModel):
    """What an applicant told the town; edited through a signed link while the manager asks
    for changes. ``nonce`` is part of that link: a new one kills the old link."""

    shop_name = models.CharField(_("nom du commerce"), max_length=128)
    trade = models.CharField(_("métier"), max_length=32, choices=Trade.choices)
    line1 = models.CharField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("ville"), max_length=128)
    siret = models.CharField(_("SIRET"), max_length=14)
    contact_name = models.CharField(_("nom du contact"), max_length=150)
    contact_email = models.EmailField(_("e-mail du contact"))
    contact_phone = models.CharField(_("téléphone du contact"), max_length=20, help_text=_("Au format international (+33…)."))
    products = models.TextField(_("ce que vous vendez"), max_length=2000)
    fulfilment = models.JSONField(_("retrait et livraison souhaités"), default=list)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED, db_index=True
    )
    nonce = models.CharField(max_length=64, editable=False)
    changes_message = models.TextField(_("modifications demandées"), blank=True)
    #: How many times changes were asked (part of the outbox key of each request's e-mail).
    changes_round = models.PositiveSmallIntegerField(_("demandes de modifications"), default=0)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("traitée par"),
    )
    reviewed_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    resubmitted_at = models.DateTimeField(_("modifiée par le commerçant le"), null=True, blank=True)
    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.PROTECT, null=True, blank=True, related_name="application",
        verbose_name=_("commerce créé"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("candidature d'un commerce")
        verbose_name_plural = _("candidatures des commerces")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.APPROVED, shop__isnull=False)
                | (~Q(status=ApplicationStatus.APPROVED) & Q(shop__isnull=True)),
                name="town_application_shop_iff_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.DECLINED) | ~Q(decline_reason=""),
                name="town_application_declined_with_reason",
            ),
            models.CheckConstraint(condition=Q(siret__regex=r"^[0-9]{14}$"), name="town_application_siret_digits"),
            models.UniqueConstraint(
                fields=["siret"], condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="town_application_one_open_per_siret",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES

    @property
    def fulfilment_labels(self) -> list[str]:
        labels = dict(Fulfilment.choices)
        return [str(labels[value]) for value in self.fulfilment if value in labels]

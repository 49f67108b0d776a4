"""Money records: one payment per order, every Stripe call's idempotency key, a ledger
of every movement per order and shop, webhook events, commission plans, shops' accounts.

Amounts are integer cents (Stripe's unit), so sums are exact. The ledger is the truth
the money pages and the reconciliation read; ``Payment``'s amounts are a cache of it,
written in the same transaction.
"""
from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


# The town's plans at installation: (code, name, rate %, default).
STANDARD_PLANS = (
    ("collectif", "Collectif", Decimal("5.50"), True),
    ("solo", "Solo", Decimal("9.00"), False),
)


class CommissionPlan(TimeStampedModel):
    """The town's commission on a shop's sales, in percent (edited by the manager).

    An order keeps the rate its shops had when it was paid (``PaymentPart.commission_rate``).
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    rate = models.DecimalField(_("taux (%)"), max_digits=5, decimal_places=2)
    is_default = models.BooleanField(_("plan par défaut"), default=False)

    class Meta:
        ordering = ["rate", "code"]
        verbose_name = _("plan de commission")
        verbose_name_plural = _("plans de commission")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="payments_plan_rate_range"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="payments_one_default_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate.normalize():f} %)".replace(".", ",")


class ShopPaymentAccount(TimeStampedModel):
    """A shop's Stripe connected account (Express) and its commission plan."""

    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.CASCADE, related_name="payment_account", verbose_name=_("commerce")
    )
    plan = models.ForeignKey(
        CommissionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts",
        verbose_name=_("plan de commission"), help_text=_("Vide : le plan par défaut."),
    )
    stripe_account_id = models.CharField(_("compte Stripe"), max_length=64, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    details_submitted = models.BooleanField(_("dossier complété"), default=False)
    transfers_active = models.BooleanField(_("virements actifs"), default=False)
    payouts_enabled = models.BooleanField(_("versements actifs"), default=False)
    # Created time of the last account.updated event applied (events arrive in any order).
    synced_at = models.DateTimeField(_("synchronisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("compte de paiement du commerce")
        verbose_name_plural = _("comptes de paiement des commerces")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_account_id"], condition=~Q(stripe_account_id=""), name="payments_account_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} — {self.stripe_account_id or 'sans compte'}"

    @property
    def is_usable(self) -> bool:
        """Stripe will accept transfers to it: the shop may sell."""
        return bool(self.stripe_account_id) and self.details_submitted and self.transfers_active


class ShopPlanChange(models.Model):
    """A shop moves to ``plan`` (``None``: the default plan) from ``effective_from``.

    A change due and not applied yet already counts at checkout (``commission_plans_for``);
    beat writes it onto the shop's account (``applied_at``). Orders paid before keep the
    rate frozen in their ``PaymentPart``.
    """

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="plan_changes",
                             verbose_name=_("commerce"))
    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="changes",
                             verbose_name=_("nouveau plan"), help_text=_("Vide : le plan par défaut."))
    effective_from = models.DateTimeField(_("à partir du"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("décidé par"))
    created_at = models.DateTimeField(_("décidé le"), auto_now_add=True)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name = _("changement de plan de commission")
        verbose_name_plural = _("changements de plan de commission")
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(cancelled_at__isnull=True), name="payments_plan_change_applied_or_cancelled"
            ),
        ]
        indexes = [models.Index(fields=["applied_at", "cancelled_at", "effective_from"], name="payments_plan_change_due")]

    def __str__(self) -> str:
        return f"{self.shop} → {self.plan or 'plan par défaut'} le {self.effective_from:%d/%m/%Y}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    REQUIRES_ACTION = "requires_action", _("confirmation bancaire attendue")
    FAILED = "failed", _("refusé")
    AUTHORISED = "authorised", _("autorisé")
    CAPTURED = "captured", _("encaissé")
    RELEASED = "released", _("libéré")


class Payment(TimeStampedModel):
    """The card payment of one order: one PaymentIntent (manual capture) per attempt.

    Created at checkout before the order row exists (Oscar takes the payment first, under
    the order number it has already chosen); ``order`` is set when the order is placed.
    """

    order_number = models.CharField(_("numéro de commande"), max_length=128, unique=True)
    # Part of every idempotency key: order numbers restart with a new database, keys must not.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="payment",
        verbose_name=_("commande"),
    )
    currency = models.CharField(_("devise"), max_length=3, default="eur")
    amount_cents = models.PositiveIntegerField(_("montant demandé (centimes)"))
    status = models.CharField(
        _("statut"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    attempt = models.PositiveSmallIntegerField(_("tentative"), default=1)
    payment_method = models.CharField(_("moyen de paiement"), max_length=64, blank=True)
    intent_id = models.CharField(_("PaymentIntent"), max_length=64, blank=True, db_index=True)
    client_secret = models.CharField(max_length=128, blank=True)
    charge_id = models.CharField(_("charge"), max_length=64, blank=True)
    amount_authorised_cents = models.PositiveIntegerField(_("autorisé (centimes)"), default=0)
    amount_captured_cents = models.PositiveIntegerField(_("encaissé (centimes)"), default=0)
    amount_refunded_cents = models.PositiveIntegerField(_("remboursé (centimes)"), default=0)
    authorised_at = models.DateTimeField(_("autorisé le"), null=True, blank=True, db_index=True)
    captured_at = models.DateTimeField(_("encaissé le"), null=True, blank=True)
    released_at = models.DateTimeField(_("libéré le"), null=True, blank=True)
    # Every shop part is settled (accepted, reduced or cancelled): capture now.
    ready_to_capture = models.BooleanField(_("prêt à encaisser"), default=False)
    last_error = models.CharField(_("dernière erreur"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_captured_cents__lte=F("amount_authorised_cents")),
                name="payments_captured_within_authorised",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded_cents__lte=F("amount_captured_cents")),
                name="payments_refunded_within_captured",
            ),
        ]

    def __str__(self) -> str:
        return f"Paiement {self.order_number} ({self.get_status_display()})"

    @property
    def transfer_group(self) -> str:
        return self.order_number


class PaymentPart(models.Model):
    """One shop's part of a paid order, as it was at checkout (the current amounts are read
    from the order: see ``orders.py``), with the commission rate that applies to it."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="parts")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="payment_parts")
    commission_rate = models.DecimalField(_("taux de commission (%)"), max_digits=5, decimal_places=2)
    gross_cents = models.PositiveIntegerField(_("part du commerçant avant commission (centimes)"))
    paid_cents = models.PositiveIntegerField(_("payé par le client (centimes)"))
    cancelled_reason = models.CharField(_("annulé"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("part d'un commerce")
        verbose_name_plural = _("parts des commerces")
        constraints = [
            models.UniqueConstraint(fields=["payment", "shop"], name="payments_one_part_per_shop"),
            models.CheckConstraint(
                condition=Q(commission_rate__gte=Decimal(0), commission_rate__lte=Decimal(100)),
                name="payments_part_rate_range",
            ),
        ]


class StripeCall(models.Model):
    """One write to Stripe and the idempotency key it was sent with, stored before the call.

    The key is deterministic from the payment's state (``operation``) and attempt, so a
    retry after a crash or an outage sends the same key and Stripe replays the result.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en cours")
        SUCCEEDED = "succeeded", _("réussi")
        FAILED = "failed", _("échoué")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    account = models.ForeignKey(
        ShopPaymentAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="calls"
    )
    operation = models.CharField(max_length=160)
    attempt = models.PositiveSmallIntegerField(default=1)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    stripe_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("appel Stripe")
        verbose_name_plural = _("appels Stripe")

    def __str__(self) -> str:
        return f"{self.operation} ({self.get_status_display()})"


class EntryKind(models.TextChoices):
    AUTHORISATION = "authorisation", _("autorisation")
    RELEASE = "release", _("libération")
    CAPTURE = "capture", _("encaissement")
    REFUND = "refund", _("remboursement")
    TRANSFER = "transfer", _("virement au commerce")
    REVERSAL = "reversal", _("reprise sur virement")
    COMMISSION = "commission", _("commission")
    PROMOTION = "promotion", _("remise financée par la ville")
    FEE = "fee", _("frais conservés par la ville")


# Memo entries: holds, not money that moved.
MEMO_KINDS = (EntryKind.AUTHORISATION, EntryKind.RELEASE)


class LedgerEntry(models.Model):
    """One money movement of an order, for one shop (or the town: ``shop`` empty).

    Signs: every amount is positive except COMMISSION, PROMOTION and FEE, the town's
    share, which goes down on a refund and is negative for a town-funded discount.
    Per order, and per shop: capture − refund = transfer − reversal + commission +
    promotion + fee (+ what is still owed to a shop whose transfer has not gone yet).
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="entries")
    order_number = models.CharField(max_length=128, db_index=True)
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField()
    # What recorded it: our Stripe call, or (a hold Stripe released by itself) a webhook event.
    call = models.ForeignKey(StripeCall, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    event = models.ForeignKey(
        "WebhookEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    stripe_id = models.CharField(max_length=64, blank=True)
    # The transfer a reversal takes back from.
    transfer_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("écriture")
        verbose_name_plural = _("écritures")
        indexes = [models.Index(fields=["shop", "created_at"], name="payments_entry_shop_time")]
        constraints = [
            # One entry of each kind per shop and Stripe call: a replayed step cannot double it.
            # (Two partial indexes each instead of NULLS NOT DISTINCT, which SQLite lacks.)
            models.UniqueConstraint(
                fields=["call", "shop", "kind"], condition=Q(call__isnull=False, shop__isnull=False),
                name="payments_entry_once_per_call_shop",
            ),
            models.UniqueConstraint(
                fields=["call", "kind"], condition=Q(call__isnull=False, shop__isnull=True),
                name="payments_entry_once_per_call_town",
            ),
            models.UniqueConstraint(
                fields=["event", "shop", "kind"], condition=Q(event__isnull=False, shop__isnull=False),
                name="payments_entry_once_per_event_shop",
            ),
            models.UniqueConstraint(
                fields=["event", "kind"], condition=Q(event__isnull=False, shop__isnull=True),
                name="payments_entry_once_per_event_town",
            ),
            models.CheckConstraint(
                condition=Q(call__isnull=False) | Q(event__isnull=False), name="payments_entry_has_source"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["commission", "promotion", "fee"]) | Q(amount_cents__gte=0),
                name="payments_entry_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.get_kind_display()} {self.amount_cents}"


class WebhookEvent(models.Model):
    """A Stripe event, stored once by its id (the unique index serialises concurrent deliveries)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(_("créé chez Stripe le"))
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class ReconciliationIssue(models.Model):
    """A mismatch the nightly reconciliation found, for the manager to look at."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="issues")
    code = models.CharField(max_length=40)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("anomalie de rapprochement")
        verbose_name_plural = _("anomalies de rapprochement")
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "code"], condition=Q(resolved_at__isnull=True), name="payments_one_open_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment.order_number}: {self.message}"

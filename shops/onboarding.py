"""A shop's onboarding checklist, from its creation to its first prepared order (reads).

Computed from what the shop has (nothing is ticked by hand, so the list cannot lie):
shown on the merchant's back-office home and, for every shop at once, to the town
manager (who is stuck where), in one query whatever the number of shops.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shops.models import OpeningPeriod, Shop, ShopInvitation, ShopMember, ShopPhoto, ShopRole

#: (key, label, what to do, back-office URL name), in the order a new shop goes through them.
STEPS = (
    ("profile", _("Profil complet"), _("description, téléphone ou e-mail, au moins une photo"), "backoffice:profile"),
    ("hours", _("Horaires d'ouverture"), _("au moins une plage d'ouverture"), "backoffice:hours"),
    ("products", _("Premiers produits"), _("au moins un produit en vente"), "backoffice:product-create"),
    ("payments", _("Compte de paiement prêt"), _("dossier Stripe complété, virements actifs"), "backoffice:payments"),
    ("staff", _("Équipe invitée"), _("au moins un membre de l'équipe invité"), "backoffice:team"),
    ("first_order", _("Première commande préparée"), _("une commande marquée prête"), "backoffice:orders"),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str
    url_name: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    shop: Shop
    steps: tuple[Step, ...]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.total

    @property
    def first_missing(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total)


def _annotated(shops: QuerySet[Shop]) -> QuerySet[Shop]:
    from marketplace.order.models import ShopOrder, ShopOrderStatus
    from marketplace.partner.models import StockRecord
    from marketplace.payments.models import ShopPaymentAccount

    prepared = (ShopOrderStatus.READY, ShopOrderStatus.DROPPED, ShopOrderStatus.COLLECTED)
    return shops.annotate(
        _has_photo=Exists(ShopPhoto.objects.filter(shop=OuterRef("pk"))),
        _has_hours=Exists(OpeningPeriod.objects.filter(shop=OuterRef("pk"))),
        _has_products=Exists(StockRecord.objects.filter(partner_id=OuterRef("partner_id"), product__is_public=True)),
        _can_be_paid=Exists(ShopPaymentAccount.objects.filter(
            shop=OuterRef("pk"), details_submitted=True, transfers_active=True
        ).exclude(stripe_account_id="")),
        _has_staff=Exists(ShopMember.objects.filter(shop=OuterRef("pk"), role=ShopRole.STAFF))
        | Exists(ShopInvitation.objects.filter(shop=OuterRef("pk"), role=ShopRole.STAFF)),
        _has_prepared=Exists(ShopOrder.objects.filter(
            Q(status__in=prepared) | Q(ready_at__isnull=False), shop=OuterRef("pk")
        )),
    )


def _checklist(shop: Shop) -> Checklist:
    done = {
        "profile": bool(shop.description.strip()) and bool(shop.phone or shop.email) and shop._has_photo,
        "hours": shop._has_hours,
        "products": shop._has_products,
        "payments": shop._can_be_paid,
        "staff": shop._has_staff,
        "first_order": shop._has_prepared,
    }
    return Checklist(shop=shop, steps=tuple(
        Step(key=key, label=str(label), hint=str(hint), url_name=url_name, done=bool(done[key]))
        for key, label, hint, url_name in STEPS
    ))


def shop_onboarding_get(*, shop: Shop) -> Checklist:
    """``shop``'s checklist (one query)."""
    return _checklist(_annotated(Shop.objects.filter(pk=shop.pk)).get())


def shops_onboarding_listed(*, shops: QuerySet[Shop] | None = None) -> list[Checklist]:
    """The checklist of every shop of ``shops`` (all by default), by name, in one query."""
    shops = Shop.objects.all() if shops is None else shops
    return [_checklist(shop) for shop in _annotated(shops.order_by("name", "pk"))]

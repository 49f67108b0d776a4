"""The town's content (writes): the agenda, the town's page, what the home page puts first.

Text typed in ``/gestion/`` goes through ``shops.html.html_sanitise`` (nh3), as merchants'
descriptions do: the manager's account could be misused, and pages never trust HTML.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from marketplace.town.models import FeaturedShop, TownEvent, TownPage
from shops.html import html_sanitise

EVENT_FIELDS = ("kind", "title", "summary", "description", "place", "starts_at", "ends_at", "link", "is_published",
                "publish_at")


def event_build(*, data: dict, event: TownEvent | None = None) -> TownEvent:
    """``event`` (or a new one) with ``data`` applied and checked, not saved: what the
    preview shows and what ``event_save`` writes."""
    event = event or TownEvent()
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.title = (event.title or "").strip()
    event.summary = (event.summary or "").strip()
    event.description = html_sanitise(html=event.description or "")
    starts_at, ends_at, publish_at = event.starts_at, event.ends_at, event.publish_at
    errors: dict[str, list[str]] = {}
    if isinstance(starts_at, dt.datetime) and isinstance(ends_at, dt.datetime) and ends_at <= starts_at:
        errors["ends_at"] = ["La fin doit être après le début."]
    if isinstance(publish_at, dt.datetime) and isinstance(ends_at, dt.datetime) and publish_at >= ends_at:
        errors["publish_at"] = ["La publication doit commencer avant la fin de l'événement."]
    if errors:
        raise ValidationError(errors)
    event.full_clean()
    return event


def event_save(*, data: dict, event: TownEvent | None = None) -> TownEvent:
    event = event_build(data=data, event=event)
    event.save()
    return event


def event_delete(*, event: TownEvent) -> None:
    event.delete()


def town_page_get() -> TownPage:
    page, _ = TownPage.objects.get_or_create(pk=TownPage.SINGLETON_PK)
    return page


def town_page_update(*, data: dict, by) -> TownPage:
    with transaction.atomic():
        page = TownPage.objects.select_for_update().filter(pk=TownPage.SINGLETON_PK).first() or town_page_get()
        for name in ("title", "about", "contact_email", "contact_phone", "address"):
            if name in data:
                setattr(page, name, (data[name] or "").strip())
        page.about = html_sanitise(html=page.about)
        page.updated_by = by if getattr(by, "is_authenticated", False) else None
        page.full_clean()
        page.save()
    return page


def featured_shop_add(*, shop) -> FeaturedShop:
    with transaction.atomic():
        last = FeaturedShop.objects.select_for_update().aggregate(m=Max("position"))["m"]
        featured, _ = FeaturedShop.objects.get_or_create(shop=shop, defaults={"position": (last or 0) + 1})
    return featured


def featured_shop_remove(*, shop) -> None:
    FeaturedShop.objects.filter(shop=shop).delete()


def featured_shop_move(*, shop, direction: str) -> None:
    """One place earlier ("up") or later ("down") among the featured shops."""
    if direction not in ("up", "down"):
        raise ValidationError("Sens inconnu.")
    with transaction.atomic():
        rows = list(FeaturedShop.objects.select_for_update().order_by("position", "pk"))
        index = next((i for i, row in enumerate(rows) if row.shop_id == shop.pk), None)
        if index is None:
            raise ValidationError("Ce commerce n'est pas à la une.")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])


def _featured_range():
    from oscar.core.loading import get_model

    from marketplace.town.selectors.content import FEATURED_RANGE_SLUG

    Range = get_model("offer", "Range")
    found = Range.objects.filter(slug=FEATURED_RANGE_SLUG).first()
    if found is None:
        found = Range.objects.create(name="À la une", slug=FEATURED_RANGE_SLUG,
                                     description="Produits mis en avant sur la page d'accueil.")
    return found


def featured_product_add(*, product) -> None:
    if not product.is_public:
        raise ValidationError("Ce produit n'est pas en vente : il ne peut pas être mis à la une.")
    with transaction.atomic():
        _featured_range().add_product(product)


def featured_product_remove(*, product) -> None:
    with transaction.atomic():
        _featured_range().remove_product(product)

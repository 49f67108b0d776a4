"""The shop itself: creation, profile, weekly hours, photos, closures, suspension."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from marketplace.partner.models import Partner
from shops.guards import shop_writes_guarded
from shops.models import OpeningPeriod, Shop


def shop_create(
    *,
    name: str,
    trade: str,
    line1: str,
    postcode: str,
    city: str,
    code: str | None = None,
    **fields,
) -> Shop:
    """Create a shop and the Oscar ``Partner`` that carries its stock and staff."""
    with transaction.atomic():
        partner = Partner.objects.create(name=name, code=code or slugify(name)[:128])
        shop = Shop(
            partner=partner,
            name=name,
            slug=fields.pop("slug", None) or partner.code,
            trade=trade,
            line1=line1,
            postcode=postcode,
            city=city,
            **fields,
        )
        shop.full_clean()
        shop.save()
    return shop


@shop_writes_guarded
def shop_opening_hours_set(
    *, shop: Shop, periods: Iterable[tuple[int, dt.time, dt.time]]
) -> list[OpeningPeriod]:
    """Replace the weekly opening hours of ``shop`` with ``periods`` (all or nothing); periods
    of one day that overlap are refused (``ValidationError``, French)."""
    from shops.validation import opening_periods_checked

    periods = list(periods)
    opening_periods_checked(periods)
    new = [OpeningPeriod(shop=shop, weekday=day, opens=opens, closes=closes) for day, opens, closes in periods]
    for period in new:
        period.full_clean(exclude=["shop"])
    with transaction.atomic():
        shop.opening_periods.all().delete()
        return OpeningPeriod.objects.bulk_create(new)


@shop_writes_guarded
def shop_profile_update(*, shop: Shop, **fields) -> Shop:
    """Update the profile fields of ``shop``, checked as the back-office form checks them
    (``shops.validation``: French postcode, phone stored E.164, description length); the
    description is sanitised (merchants are not trusted). Nothing is written on an error."""
    from shops import validation
    from shops.html import html_sanitise

    allowed = {
        "description", "phone", "email", "line1", "postcode", "city",
        "preparation_minutes", "daily_order_cap", "vacation_mode",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"champs non modifiables : {sorted(unknown)}")
    if "postcode" in fields:
        fields["postcode"] = validation.postcode_validated(fields["postcode"])
    if "phone" in fields:
        fields["phone"] = validation.phone_normalised(fields["phone"])
    if "description" in fields:
        fields["description"] = html_sanitise(html=validation.description_checked(fields["description"]))
    for name, value in fields.items():
        setattr(shop, name, value)
    shop.full_clean()
    shop.save(update_fields=[*fields, "updated_at"])
    return shop


@shop_writes_guarded
def shop_photo_add(*, shop: Shop, upload, alt_text: str):
    """Add a photo to ``shop`` after validating and re-encoding the image."""
    from django.db.models import Max

    from shops.images import image_validated
    from shops.models import ShopPhoto

    content = image_validated(upload=upload)
    alt_text = alt_text.strip()
    if not alt_text:
        raise ValidationError({"alt_text": "Décrivez la photo en quelques mots."})
    last = shop.photos.aggregate(m=Max("display_order"))["m"]
    photo = ShopPhoto(shop=shop, alt_text=alt_text, display_order=(last or 0) + 1)
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


@shop_writes_guarded
def shop_photo_delete(*, photo) -> None:
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@shop_writes_guarded
def shop_closure_add(*, shop: Shop, starts_at: dt.datetime, ends_at: dt.datetime, reason: str = ""):
    """Add an exceptional closure: it ends after it starts, starts today or later, and ends
    within two years (``shops.validation.closure_range_checked``)."""
    from shops.models import Closure
    from shops.validation import closure_range_checked

    closure = Closure(shop=shop, starts_at=starts_at, ends_at=ends_at, reason=reason.strip())
    closure_range_checked(starts_at=starts_at, ends_at=ends_at)
    closure.full_clean(exclude=["shop"])
    closure.save()
    return closure


@shop_writes_guarded
def shop_closure_delete(*, closure) -> None:
    closure.delete()


def shop_suspend(*, shop: Shop, suspended: bool = True) -> Shop:
    """Suspend ``shop`` (its products leave the storefront; its staff keep a read-only back-office) or reactivate it."""
    from shops.models import ShopStatus

    shop.status = ShopStatus.SUSPENDED if suspended else ShopStatus.ACTIVE
    shop.save(update_fields=["status", "updated_at"])
    return shop

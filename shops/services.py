"""Write-side use cases of the merchant domain."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from marketplace.partner.models import Partner
from shops.guards import shop_is_suspended, shop_writes_guarded
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


def shop_staff_add(*, shop: Shop, user, role: str = "staff") -> None:
    """Make ``user`` staff of ``shop`` (a ``Partner`` user) with ``role`` ("owner" or "staff").

    Merchants work in the back-office (/espace-commercant/), never in Oscar's
    dashboard, so they get no ``partner.dashboard_access`` permission.
    """
    from shops.staff.services import shop_staff_join

    with transaction.atomic():
        shop_staff_join(shop=shop, user=user, role=role)


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


# --- Merchant back-office (writes) ---------------------------------------------------
# Callers pass objects already scoped to the merchant's shop (see shops.selectors).

STOCK_BELOW_RESERVED = "Le stock ne peut pas être inférieur aux quantités déjà réservées ({reserved})."
# Imports with more rows than this are applied by a Celery task.
STOCK_IMPORT_SYNC_MAX_ROWS = 500


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


def _stock_checked(offer, num_in_stock: int) -> None:
    reserved = offer.num_allocated or 0
    if num_in_stock < 0:
        raise ValidationError({"num_in_stock": "Le stock ne peut pas être négatif."})
    if num_in_stock < reserved:
        raise ValidationError({"num_in_stock": STOCK_BELOW_RESERVED.format(reserved=reserved)})


@shop_writes_guarded
def offer_update(*, offer, price: Decimal | None = None, num_in_stock: int | None = None):
    """Change the price (incl. VAT) and/or stock of one offer, never below what is reserved.

    The row is locked so that a checkout allocating at the same time is not lost;
    the database ``CheckConstraint`` is the last line: its violation becomes the
    same French ``ValidationError``.
    """
    from marketplace.partner.models import StockRecord

    with transaction.atomic():
        locked = StockRecord.objects.select_for_update().get(pk=offer.pk, partner_id=offer.partner_id)
        if price is not None:
            if price < 0:
                raise ValidationError({"price": "Le prix ne peut pas être négatif."})
            locked.price = price
        if num_in_stock is not None:
            _stock_checked(locked, num_in_stock)
            locked.num_in_stock = num_in_stock
        try:
            with transaction.atomic():
                locked.save(update_fields=["price", "num_in_stock", "date_updated"])
        except IntegrityError:
            locked.refresh_from_db(fields=["num_allocated"])
            raise ValidationError(
                {"num_in_stock": STOCK_BELOW_RESERVED.format(reserved=locked.num_allocated or 0)}
            ) from None
    return locked


@shop_writes_guarded
def offers_bulk_update(*, shop: Shop, changes: dict[int, tuple[Decimal | None, int | None]]) -> int:
    """Apply ``{offer_id: (price, stock)}`` to ``shop``'s offers, all or nothing.

    Raises ``ValidationError`` whose ``error_dict`` is keyed by offer id (as a
    string) when any change is refused; then nothing is written.
    """
    from django.utils import timezone

    from marketplace.partner.models import StockRecord

    with transaction.atomic():
        offers = list(
            StockRecord.objects.select_for_update()
            .filter(partner_id=shop.partner_id, pk__in=list(changes))
            .order_by("pk")
        )
        if len(offers) != len(changes):
            raise ValidationError("Une des offres n'appartient pas à ce commerce.")
        errors: dict[str, list[str]] = {}
        now = timezone.now()
        for offer in offers:
            price, stock = changes[offer.pk]
            if price is not None and price < 0:
                errors.setdefault(str(offer.pk), []).append("Le prix ne peut pas être négatif.")
            if stock is not None and stock < 0:
                errors.setdefault(str(offer.pk), []).append("Le stock ne peut pas être négatif.")
            elif stock is not None and stock < (offer.num_allocated or 0):
                errors.setdefault(str(offer.pk), []).append(
                    STOCK_BELOW_RESERVED.format(reserved=offer.num_allocated or 0)
                )
            if price is not None:
                offer.price = price
            if stock is not None:
                offer.num_in_stock = stock
            offer.date_updated = now
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                _offers_write(offers, now=now)
        except IntegrityError:
            raise ValidationError("Le stock ne peut pas être inférieur aux quantités déjà réservées.") from None
    return len(offers)


PRODUCT_SHARED = (
    "Ce produit est aussi vendu par un autre commerce : son nom, sa description, son rayon, "
    "son type et ses photos ne se modifient pas ici (seuls votre prix, votre stock et votre SKU)."
)
SKU_TAKEN = "Ce SKU est déjà utilisé par un autre de vos produits."


@shop_writes_guarded
def product_create(
    *,
    shop: Shop,
    title: str,
    description: str,
    category,
    product_class,
    price: Decimal,
    num_in_stock: int,
    sku: str,
    image=None,
    image_alt: str = "",
):
    """Create a product sold by ``shop`` with its offer and picture, in one transaction."""
    from django.core.files.base import ContentFile

    from marketplace.catalogue.models import Product, ProductCategory, ProductImage
    from marketplace.partner.models import StockRecord
    from shops.html import html_sanitise
    from shops.images import image_validated

    content: ContentFile | None = image_validated(upload=image) if image is not None else None
    sku = sku.strip()
    if StockRecord.objects.filter(partner_id=shop.partner_id, partner_sku=sku).exists():
        raise ValidationError({"sku": SKU_TAKEN})
    if price < 0:
        raise ValidationError({"price": "Le prix ne peut pas être négatif."})
    if num_in_stock < 0:
        raise ValidationError({"num_in_stock": "Le stock ne peut pas être négatif."})
    try:
        with transaction.atomic():
            product = Product(
                structure=Product.STANDALONE,
                title=title.strip(),
                description=html_sanitise(html=description or ""),
                product_class=product_class,
                is_public=True,
            )
            product.save()
            if category is not None:
                ProductCategory.objects.create(product=product, category=category)
            StockRecord.objects.create(
                product=product,
                partner_id=shop.partner_id,
                partner_sku=sku,
                price_currency="EUR",
                price=price,
                num_in_stock=num_in_stock,
                num_allocated=0,
            )
            if content is not None:
                picture = ProductImage(product=product, caption=(image_alt or title)[:200], display_order=0)
                picture.original.save(content.name, content, save=False)
                picture.save()
    except IntegrityError:
        raise ValidationError({"sku": SKU_TAKEN}) from None
    return product


def product_is_shared(*, offer) -> bool:
    """Whether another shop sells ``offer``'s product too (then only the offer is the merchant's)."""
    from marketplace.partner.models import StockRecord

    return StockRecord.objects.filter(product_id=offer.product_id).exclude(partner_id=offer.partner_id).exists()


@shop_writes_guarded
def product_update(
    *,
    offer,
    title: str,
    description: str,
    category,
    product_class,
    price: Decimal,
    num_in_stock: int,
    sku: str,
):
    """Change a product sold by ``offer``'s shop and the offer itself, all or nothing.

    Price and stock go through ``offer_update`` (row lock, never below what is
    reserved). A product another shop sells too keeps its title, description,
    category and type: changing them is refused, the offer's fields are not.
    """
    from marketplace.catalogue.models import Product, ProductCategory
    from marketplace.partner.models import StockRecord
    from shops.html import html_sanitise

    title, sku = title.strip(), sku.strip()
    if not title:
        raise ValidationError({"title": "Donnez un nom au produit."})
    if not sku:
        raise ValidationError({"sku": "Donnez un SKU (votre référence)."})
    description = html_sanitise(html=description or "")
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=offer.product_id)
        current_category = ProductCategory.objects.filter(product=product).order_by("pk").values_list("category_id", flat=True).first()
        product_changed = (
            title != product.title
            or description != html_sanitise(html=product.description or "")
            or getattr(category, "pk", None) != current_category
            or product_class.pk != product.product_class_id
        )
        if product_changed and product_is_shared(offer=offer):
            raise ValidationError(PRODUCT_SHARED)
        if StockRecord.objects.filter(partner_id=offer.partner_id, partner_sku=sku).exclude(pk=offer.pk).exists():
            raise ValidationError({"sku": SKU_TAKEN})
        if product_changed:
            product.title, product.description, product.product_class = title, description, product_class
            product.save(update_fields=["title", "description", "product_class", "date_updated"])
            ProductCategory.objects.filter(product=product).delete()
            if category is not None:
                ProductCategory.objects.create(product=product, category=category)
        locked = offer_update(offer=offer, price=price, num_in_stock=num_in_stock)
        if locked.partner_sku != sku:
            locked.partner_sku = sku
            try:
                with transaction.atomic():
                    locked.save(update_fields=["partner_sku"])
            except IntegrityError:
                raise ValidationError({"sku": SKU_TAKEN}) from None
    return locked


def _product_images_locked(*, offer):
    from marketplace.catalogue.models import Product

    product = Product.objects.select_for_update().get(pk=offer.product_id)
    if product_is_shared(offer=offer):
        raise ValidationError(PRODUCT_SHARED)
    return product, list(product.images.order_by("display_order", "pk"))


def _images_renumbered(images) -> None:
    for index, image in enumerate(images):
        if image.display_order != index:
            image.display_order = index
            image.save(update_fields=["display_order"])


@shop_writes_guarded
def product_image_add(*, offer, upload, caption: str = ""):
    """Add a picture (validated, re-encoded) after the product's others."""
    from marketplace.catalogue.models import ProductImage
    from shops.images import image_validated

    content = image_validated(upload=upload)
    with transaction.atomic():
        product, images = _product_images_locked(offer=offer)
        if len(images) >= 12:
            raise ValidationError("12 photos au maximum par produit.")
        picture = ProductImage(product=product, caption=(caption.strip() or product.title)[:200], display_order=len(images))
        picture.original.save(content.name, content, save=False)
        picture.save()
        _images_renumbered([*images, picture])
    return picture


@shop_writes_guarded
def product_image_delete(*, offer, image) -> None:
    with transaction.atomic():
        _, images = _product_images_locked(offer=offer)
        storage, name = image.original.storage, image.original.name
        image.delete()
        _images_renumbered([i for i in images if i.pk != image.pk])
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@shop_writes_guarded
def product_image_move(*, offer, image, direction: str) -> None:
    """Move ``image`` one place "up" (earlier) or "down"; the first picture is the product's main one."""
    if direction not in ("up", "down"):
        raise ValidationError("Sens inconnu.")
    with transaction.atomic():
        _, images = _product_images_locked(offer=offer)
        index = next((i for i, candidate in enumerate(images) if candidate.pk == image.pk), None)
        if index is None:  # deleted meanwhile (another tab, another staff member)
            raise ValidationError("Cette photo n'existe plus : rechargez la page.")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(images):
            images[index], images[other] = images[other], images[index]
        _images_renumbered(images)


ARCHIVE_SHARED = (
    "Ce produit est aussi vendu par un autre commerce : il ne peut pas être archivé "
    "(mettez son stock à 0 pour arrêter de le vendre)."
)


@shop_writes_guarded
def offer_archive(*, offer, archived: bool = True):
    """Archive (or restore) the product of ``offer``: ``Product.is_public`` is set to False (True).

    A product sold by another shop too is refused: hiding it would hide the
    other shop's offer.
    """
    from marketplace.partner.models import StockRecord

    with transaction.atomic():
        product = offer.product.__class__.objects.select_for_update().get(pk=offer.product_id)
        if StockRecord.objects.filter(product_id=product.pk).exclude(partner_id=offer.partner_id).exists():
            raise ValidationError(ARCHIVE_SHARED)
        product.is_public = not archived
        product.save(update_fields=["is_public", "date_updated"])
    return product


# --- CSV stock import -------------------------------------------------------------------


@shop_writes_guarded
def stock_import_preview(*, shop: Shop, user, file_name: str, data: bytes):
    """Parse ``data`` and check every row against ``shop``'s offers; keep the import.

    Nothing is written but the ``StockImport`` itself: ``previewed`` when every row
    is valid, ``refused`` with the row-level errors otherwise.
    """
    from marketplace.partner.models import StockRecord
    from shops.importers.csv_stock import RowError, csv_stock_parse
    from shops.models import StockImport, StockImportStatus

    parsed = csv_stock_parse(data=data)
    errors = list(parsed.errors)
    skus = [row.sku for row in parsed.rows]
    own = dict(
        StockRecord.objects.filter(partner_id=shop.partner_id, partner_sku__in=skus).values_list(
            "partner_sku", "num_allocated"
        )
    )
    for row in parsed.rows:
        if row.sku not in own:
            # The same words whether or not another shop uses this SKU: the preview must not
            # tell a merchant which references its neighbours sell (the API answers alike).
            errors.append(RowError(row.line, "sku", f"SKU inconnu : « {row.sku} »."))
        elif row.stock is not None and row.stock < (own[row.sku] or 0):
            errors.append(RowError(row.line, "stock", STOCK_BELOW_RESERVED.format(reserved=own[row.sku])))
    errors.sort(key=lambda e: (e.line, e.column))
    return StockImport.objects.create(
        shop=shop,
        user=user if getattr(user, "is_authenticated", False) else None,
        file_name=(file_name or "import.csv")[:255],
        status=StockImportStatus.REFUSED if errors else StockImportStatus.PREVIEWED,
        rows=[row.as_json() for row in parsed.rows],
        errors=[e.as_json() for e in errors],
        row_count=len(parsed.rows) + len({e.line for e in errors if e.line > 1}),
    )


class _Refused(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("import refused")
        self.errors = errors


def _offers_write(offers, *, now) -> None:
    """Write price and stock of many offers: one ``UPDATE … FROM (VALUES …)`` per 2,000 on PostgreSQL."""
    from django.db import connection

    from marketplace.partner.models import StockRecord

    if connection.vendor != "postgresql":
        StockRecord.objects.bulk_update(offers, ["price", "num_in_stock", "date_updated"], batch_size=500)
        return
    table = StockRecord._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(offers), 2000):
            batch = offers[start : start + 2000]
            values = ", ".join(["(%s::integer, %s::numeric, %s::integer)"] * len(batch))
            params = [v for o in batch for v in (o.pk, o.price, o.num_in_stock)]
            cursor.execute(
                f'UPDATE "{table}" AS sr SET price = v.price, num_in_stock = v.stock, date_updated = %s '
                f"FROM (VALUES {values}) AS v(id, price, stock) WHERE sr.id = v.id",
                [now, *params],
            )


def stock_import_apply(*, stock_import):
    """Apply a previewed import to the shop's offers: every row or none (one transaction).

    Rows are checked again under row locks (a checkout may have reserved units
    since the preview). Applying twice is harmless: an applied import is returned
    as is. A refused import keeps its errors and changes nothing.
    """
    from django.utils import timezone

    from marketplace.partner.models import StockRecord
    from shops.models import StockImport, StockImportStatus

    with transaction.atomic():
        imp = StockImport.objects.select_for_update().select_related("shop").get(pk=stock_import.pk)
        if imp.status == StockImportStatus.APPLIED:
            return imp
        if imp.status == StockImportStatus.REFUSED:
            raise ValidationError("Cet import a été refusé : corrigez le fichier et importez-le à nouveau.")
        if shop_is_suspended(shop=imp.shop):  # suspended since it was started: refused, nothing applied
            from shops.guards import SUSPENDED

            imp.status, imp.errors = StockImportStatus.REFUSED, [{"line": 0, "column": "", "message": SUSPENDED}]
            imp.save(update_fields=["status", "errors"])
            return imp
        try:
            with transaction.atomic():
                by_sku = {
                    sr.partner_sku: sr
                    for sr in StockRecord.objects.select_for_update()
                    .filter(partner_id=imp.shop.partner_id, partner_sku__in=[r["sku"] for r in imp.rows])
                    .order_by("pk")
                }
                errors, now = [], timezone.now()
                for row in imp.rows:
                    offer = by_sku.get(row["sku"])
                    if offer is None:
                        errors.append({"line": row["line"], "column": "sku", "message": f"SKU inconnu : « {row['sku']} »."})
                        continue
                    if row["stock"] is not None:
                        if row["stock"] < (offer.num_allocated or 0):
                            errors.append({
                                "line": row["line"], "column": "stock",
                                "message": STOCK_BELOW_RESERVED.format(reserved=offer.num_allocated or 0),
                            })
                        offer.num_in_stock = row["stock"]
                    if row["price"] is not None:
                        offer.price = Decimal(row["price"])
                    offer.date_updated = now
                if errors:
                    raise _Refused(errors)
                _offers_write(list(by_sku.values()), now=now)
        except _Refused as refused:
            imp.status, imp.errors = StockImportStatus.REFUSED, refused.errors
        except IntegrityError:
            imp.status = StockImportStatus.REFUSED
            imp.errors = [{"line": 0, "column": "", "message": "Le stock ne peut pas être inférieur aux quantités déjà réservées."}]
        else:
            imp.status, imp.applied_at = StockImportStatus.APPLIED, timezone.now()
        imp.save(update_fields=["status", "errors", "applied_at"])
    return imp


@shop_writes_guarded
def stock_import_apply_start(*, stock_import):
    """Apply now when small; hand a large import to a Celery task (status "en cours")."""
    from shops.models import StockImportStatus

    if stock_import.status != StockImportStatus.PREVIEWED:
        raise ValidationError("Cet import ne peut plus être appliqué.")
    if stock_import.row_count <= STOCK_IMPORT_SYNC_MAX_ROWS:
        return stock_import_apply(stock_import=stock_import)
    from shops.tasks import stock_import_apply_task

    stock_import.status = StockImportStatus.RUNNING
    stock_import.save(update_fields=["status"])
    pk = stock_import.pk
    transaction.on_commit(lambda: stock_import_apply_task.delay(pk))
    return stock_import


def shop_suspend(*, shop: Shop, suspended: bool = True) -> Shop:
    """Suspend ``shop`` (its products leave the storefront; its staff keep a read-only back-office) or reactivate it."""
    from shops.models import ShopStatus

    shop.status = ShopStatus.SUSPENDED if suspended else ShopStatus.ACTIVE
    shop.save(update_fields=["status", "updated_at"])
    return shop

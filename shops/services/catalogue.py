"""A shop's products: creation, edition, pictures, archiving (prices and stock: ``shops.stock``)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shops import stock
from shops.guards import shop_writes_guarded
from shops.models import Shop

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
    problems = stock.stock_level_errors(reserved=0, num_in_stock=num_in_stock, price=price)
    if problems:
        raise ValidationError(dict(problems[:1]))
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
            stock.offer_create(product=product, partner_id=shop.partner_id, sku=sku, price=price,
                               num_in_stock=num_in_stock)
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

    Price and stock go through ``shops.stock.offer_update`` (row lock, never below what is
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
        locked = stock.offer_update(offer=offer, price=price, num_in_stock=num_in_stock)
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



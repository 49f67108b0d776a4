"""Back-office services: profile, photos, closures, offers, products, CSV import."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.catalogue.models import Product
from marketplace.partner.models import StockRecord
from shops import stock
from shops.services import catalogue, profile
from shops.services import stock_import as stock_imports
from shops.models import StockImportStatus
from tests.factories import CategoryFactory, ProductClassFactory, ShopFactory, StockRecordFactory
from tests.factories.backoffice import image_bytes, merchant

pytestmark = pytest.mark.django_db


def test_profile_description_is_sanitised():
    shop = ShopFactory()
    profile.shop_profile_update(shop=shop, description='<p onclick="x()">Bonjour<script>alert(1)</script></p>', vacation_mode=True)
    shop.refresh_from_db()
    assert shop.description == "<p>Bonjour</p>"
    assert shop.vacation_mode is True


def upload(data: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_photo_is_re_encoded_without_trailing_bytes():
    shop = ShopFactory()
    photo = profile.shop_photo_add(shop=shop, upload=upload(image_bytes(fmt="JPEG"), "vitrine.jpg"), alt_text="La vitrine")
    assert photo.image.name.endswith(".jpg") and (photo.width, photo.height) == (40, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "n'est pas une image PNG, JPEG ou WebP"),
        (b"GIF89a" + b"\x00" * 50, "n'est pas une image PNG, JPEG ou WebP"),
        (b"pas une image", "n'est pas une image PNG, JPEG ou WebP"),
        (image_bytes(fmt="GIF"), "n'est pas une image PNG, JPEG ou WebP"),
    ],
    ids=["svg", "gif-tronque", "texte", "gif"],
)
def test_bad_images_are_refused_in_french(data, message):
    shop = ShopFactory()
    with pytest.raises(ValidationError) as error:
        profile.shop_photo_add(shop=shop, upload=upload(data), alt_text="Vitrine")
    assert message in " ".join(error.value.messages)
    assert not shop.photos.exists()


def test_pixel_flood_and_size_limits(monkeypatch):
    from shops import images

    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(ValidationError, match="25 mégapixels"):
        profile.shop_photo_add(shop=ShopFactory(), upload=upload(image_bytes(size=(20, 20))), alt_text="x")
    monkeypatch.setattr(images, "MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="10 Mo"):
        profile.shop_photo_add(shop=ShopFactory(), upload=upload(image_bytes()), alt_text="x")


def test_closure_must_end_after_it_starts():
    start = dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        profile.shop_closure_add(shop=ShopFactory(), starts_at=start, ends_at=start)


def test_stock_never_below_reserved():
    offer = StockRecordFactory(num_in_stock=10, num_allocated=4)
    with pytest.raises(ValidationError) as error:
        stock.offer_update(offer=offer, price=Decimal("2.00"), num_in_stock=3)
    assert error.value.message_dict["num_in_stock"] == [
        "Le stock ne peut pas être inférieur aux quantités déjà réservées (4)."
    ]
    offer.refresh_from_db()
    assert (offer.num_in_stock, offer.price) == (10, Decimal("9.90"))
    stock.offer_update(offer=offer, price=Decimal("2.00"), num_in_stock=4)
    offer.refresh_from_db()
    assert (offer.num_in_stock, offer.price) == (4, Decimal("2.00"))


def test_bulk_update_is_all_or_nothing():
    shop = ShopFactory()
    ok = StockRecordFactory(shop=shop, num_in_stock=5)
    reserved = StockRecordFactory(shop=shop, num_in_stock=5, num_allocated=3)
    with pytest.raises(ValidationError) as error:
        stock.offers_bulk_update(shop=shop, changes={ok.pk: (Decimal("1.00"), 50), reserved.pk: (None, 1)})
    assert str(reserved.pk) in error.value.message_dict
    ok.refresh_from_db()
    assert (ok.price, ok.num_in_stock) == (Decimal("9.90"), 5)
    assert stock.offers_bulk_update(shop=shop, changes={ok.pk: (Decimal("1.00"), 50), reserved.pk: (None, 3)}) == 2
    ok.refresh_from_db()
    assert (ok.price, ok.num_in_stock) == (Decimal("1.00"), 50)


def test_bulk_update_refuses_another_shops_offer():
    shop = ShopFactory()
    foreign = StockRecordFactory(num_in_stock=5)
    with pytest.raises(ValidationError):
        stock.offers_bulk_update(shop=shop, changes={foreign.pk: (Decimal("0.01"), 0)})
    foreign.refresh_from_db()
    assert foreign.num_in_stock == 5


def test_product_create_in_one_transaction():
    shop = ShopFactory()
    product = catalogue.product_create(
        shop=shop, title="Pain de seigle", description="<b>Bon</b><script>x</script>", category=CategoryFactory(),
        product_class=ProductClassFactory(vat_rate=Decimal("5.50")), price=Decimal("3.50"), num_in_stock=8,
        sku="SEIGLE", image=upload(image_bytes()),
    )
    offer = product.stockrecords.get()
    assert (offer.partner_id, offer.partner_sku, offer.price, offer.num_in_stock) == (shop.partner_id, "SEIGLE", Decimal("3.50"), 8)
    assert "<script>" not in product.description and product.images.count() == 1 and product.categories.count() == 1


def test_product_create_with_a_bad_image_writes_nothing():
    shop = ShopFactory()
    count = Product.objects.count()
    with pytest.raises(ValidationError):
        catalogue.product_create(
            shop=shop, title="X", description="", category=None, product_class=ProductClassFactory(),
            price=Decimal(1), num_in_stock=1, sku="X", image=upload(b"<svg></svg>"),
        )
    assert Product.objects.count() == count


def test_duplicate_sku_is_a_form_error():
    offer = StockRecordFactory(partner_sku="DUP")
    with pytest.raises(ValidationError) as error:
        catalogue.product_create(
            shop=offer.partner.shop, title="X", description="", category=None, product_class=ProductClassFactory(),
            price=Decimal(1), num_in_stock=1, sku="DUP",
        )
    assert "sku" in error.value.message_dict


def test_archive_hides_the_product_and_restore_brings_it_back():
    offer = StockRecordFactory()
    catalogue.offer_archive(offer=offer)
    offer.product.refresh_from_db()
    assert offer.product.is_public is False
    catalogue.offer_archive(offer=offer, archived=False)
    offer.product.refresh_from_db()
    assert offer.product.is_public is True


def test_archive_refuses_a_product_sold_by_another_shop():
    offer = StockRecordFactory()
    StockRecordFactory(product=offer.product)
    with pytest.raises(ValidationError, match="autre commerce"):
        catalogue.offer_archive(offer=offer)
    offer.product.refresh_from_db()
    assert offer.product.is_public is True


# --- CSV import ---------------------------------------------------------------------


def preview(shop, text: str):
    return stock_imports.stock_import_preview(shop=shop, user=None, file_name="stock.csv", data=text.encode())


def test_preview_checks_skus_against_the_shop_and_never_tells_another_shop_uses_one():
    _user, shop = merchant()
    StockRecordFactory(shop=shop, partner_sku="MINE", num_in_stock=10, num_allocated=4)
    StockRecordFactory(partner_sku="THEIRS")
    imp = preview(shop, "sku;prix;stock\nMINE;1;2\nTHEIRS;1;1\nNOPE;1;1\n")
    assert imp.status == StockImportStatus.REFUSED
    assert [(e["line"], e["column"], e["message"]) for e in imp.errors] == [
        (2, "stock", "Le stock ne peut pas être inférieur aux quantités déjà réservées (4)."),
        (3, "sku", "SKU inconnu : « THEIRS »."),  # another shop's SKU reads as unknown
        (4, "sku", "SKU inconnu : « NOPE »."),
    ]
    with pytest.raises(ValidationError):
        stock_imports.stock_import_apply(stock_import=imp)


def test_apply_writes_every_row_once():
    shop = ShopFactory()
    a = StockRecordFactory(shop=shop, partner_sku="A", price=Decimal("1.00"), num_in_stock=1)
    b = StockRecordFactory(shop=shop, partner_sku="B", price=Decimal("2.00"), num_in_stock=2)
    imp = preview(shop, "sku;prix;stock\nA;3,50;\nB;;7\n")
    assert imp.status == StockImportStatus.PREVIEWED
    assert stock_imports.stock_import_apply(stock_import=imp).status == StockImportStatus.APPLIED
    assert stock_imports.stock_import_apply(stock_import=imp).status == StockImportStatus.APPLIED  # idempotent
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.price, a.num_in_stock, b.price, b.num_in_stock) == (Decimal("3.50"), 1, Decimal("2.00"), 7)


def test_apply_rechecks_reservations_made_since_the_preview():
    shop = ShopFactory()
    a = StockRecordFactory(shop=shop, partner_sku="A", num_in_stock=10, num_allocated=0)
    b = StockRecordFactory(shop=shop, partner_sku="B", price=Decimal("2.00"))
    imp = preview(shop, "sku;prix;stock\nB;5;\nA;;2\n")
    StockRecord.objects.filter(pk=a.pk).update(num_allocated=5)  # a checkout since
    assert stock_imports.stock_import_apply(stock_import=imp).status == StockImportStatus.REFUSED
    b.refresh_from_db()
    assert b.price == Decimal("2.00")
    imp.refresh_from_db()
    assert imp.errors[0]["line"] == 3 and "(5)" in imp.errors[0]["message"]


def test_a_large_import_runs_in_the_celery_task(django_capture_on_commit_callbacks):
    shop = ShopFactory()
    offers = StockRecordFactory.create_batch(3, shop=shop)
    lines = "".join(f"{o.partner_sku};1,00;{i}\n" for i, o in enumerate(offers))
    imp = preview(shop, "sku;prix;stock\n" + lines)
    imp.row_count = stock_imports.STOCK_IMPORT_SYNC_MAX_ROWS + 1  # pretend it is large
    imp.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = stock_imports.stock_import_apply_start(stock_import=imp)
    assert started.status == StockImportStatus.RUNNING
    assert len(callbacks) == 1
    callbacks[0]()  # the task runs eagerly in tests
    imp.refresh_from_db()
    assert imp.status == StockImportStatus.APPLIED
    assert sorted(StockRecord.objects.filter(partner=shop.partner).values_list("num_in_stock", flat=True)) == [0, 1, 2]

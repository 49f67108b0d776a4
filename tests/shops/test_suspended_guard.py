"""A suspended shop's writes are refused by the services themselves (not only by the
back-office views and the API): called directly, every write service raises
``ShopSuspended`` and changes nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shops.services import catalogue as shop_catalogue
from shops.services import profile as shop_profile
from shops import stock as shop_stock
from shops.services import stock_import as shop_imports
from shops.guards import SUSPENDED, ShopSuspended
from shops.models import Closure, ShopPhoto, ShopStatus, StockImportStatus
from shops.staff import services as staff_services
from tests.factories import ProductFactory, StockRecordFactory
from tests.factories.backoffice import StockImportFactory, merchant, photo_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended():
    owner, shop = merchant(role="owner")
    offer = StockRecordFactory(shop=shop, product=ProductFactory(title="Comté"), partner_sku="COMTE", num_in_stock=5,
                               price=Decimal("4.00"))
    closure = Closure.objects.create(shop=shop, starts_at=timezone.now(), ends_at=timezone.now() + dt.timedelta(days=1))
    photo = photo_of(shop)
    stock_import = StockImportFactory(shop=shop, rows=[{"line": 2, "sku": "COMTE", "price": "5.00", "stock": 9}])
    shop_profile.shop_suspend(shop=shop)
    return owner, shop, offer, closure, photo, stock_import


def calls(owner, shop, offer, closure, photo, stock_import):
    now = timezone.now()
    return {
        "profile": lambda: shop_profile.shop_profile_update(shop=shop, description="Nouveau"),
        "hours": lambda: shop_profile.shop_opening_hours_set(shop=shop, periods=[(0, dt.time(9), dt.time(12))]),
        "closure_add": lambda: shop_profile.shop_closure_add(shop=shop, starts_at=now, ends_at=now + dt.timedelta(hours=2)),
        "closure_delete": lambda: shop_profile.shop_closure_delete(closure=closure),
        "photo_delete": lambda: shop_profile.shop_photo_delete(photo=photo),
        "offer_update": lambda: shop_stock.offer_update(offer=offer, price=Decimal("9.99"), num_in_stock=50),
        "offers_bulk": lambda: shop_stock.offers_bulk_update(shop=shop, changes={offer.pk: (Decimal("1.00"), 1)}),
        "archive": lambda: shop_catalogue.offer_archive(offer=offer),
        "import_preview": lambda: shop_imports.stock_import_preview(shop=shop, user=owner, file_name="a.csv", data=b"sku;stock\nCOMTE;3\n"),
        "import_start": lambda: shop_imports.stock_import_apply_start(stock_import=stock_import),
        "invite": lambda: staff_services.invitation_create(shop=shop, email="x@halle.test", invited_by=owner),
    }


@pytest.mark.parametrize("name", list(calls(*[None] * 6)))
def test_every_write_service_refuses_a_suspended_shop(suspended, name):
    _, shop, offer, closure, photo, _ = suspended
    with pytest.raises(ShopSuspended) as error:
        calls(*suspended)[name]()
    assert error.value.messages == [SUSPENDED]
    offer.refresh_from_db()
    shop.refresh_from_db()
    assert (offer.price, offer.num_in_stock, offer.product.is_public) == (Decimal("4.00"), 5, True)
    assert shop.description == "Un commerce du centre-ville." and not shop.opening_periods.exists()
    assert Closure.objects.filter(pk=closure.pk).exists() and ShopPhoto.objects.filter(pk=photo.pk).exists()
    assert shop.stock_imports.count() == 1 and not shop.invitations.exists()


def test_an_import_applied_by_its_task_after_a_suspension_is_refused_and_changes_nothing(suspended):
    _, _, offer, *_, stock_import = suspended
    stock_import.status = StockImportStatus.RUNNING  # started before the suspension
    stock_import.save()
    result = shop_imports.stock_import_apply(stock_import=stock_import)
    offer.refresh_from_db()
    assert result.status == StockImportStatus.REFUSED and result.errors[0]["message"] == SUSPENDED
    assert offer.num_in_stock == 5


def test_a_reactivated_shop_writes_again(suspended):
    _, shop, offer, *_ = suspended
    shop_profile.shop_suspend(shop=shop, suspended=False)
    assert shop_stock.offer_update(offer=offer, num_in_stock=7).num_in_stock == 7
    shop.refresh_from_db()
    assert shop.status == ShopStatus.ACTIVE


def test_a_stale_shop_object_does_not_get_past_the_guard(suspended):
    """The status is read from the database: a ``Shop`` loaded before the suspension is refused too."""
    _, shop, *_ = suspended
    shop.status = ShopStatus.ACTIVE  # what a caller holding an old copy would see
    with pytest.raises(ShopSuspended):
        shop_profile.shop_profile_update(shop=shop, description="Nouveau")

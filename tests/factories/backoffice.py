"""Factories for the merchant back-office: staff users, offers, closures, photos, imports."""
from __future__ import annotations

import io

import factory
from PIL import Image

from shops.models import StockImport, StockImportStatus
from tests.factories.accounts import UserFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.shops import ShopFactory

PASSWORD = "mot-de-passe-de-test"


def merchant(*, shop=None, role: str = "staff", **user_fields):
    """A user who is staff of ``shop`` (a new shop by default) with ``role``; returns (user, shop)."""
    from shops.staff.services import shop_staff_join

    user = UserFactory(**user_fields)
    shop = shop or ShopFactory()
    shop_staff_join(shop=shop, user=user, role=role)
    return user, shop


def api_token(*, shop, name: str = "Caisse"):
    """A till/POS token of ``shop``: returns (token, secret)."""
    from shops.api.tokens import api_token_create

    return api_token_create(shop=shop, name=name)


def image_bytes(*, fmt: str = "PNG", size=(40, 30), color="orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def photo_of(shop, *, alt_text: str = "La vitrine"):
    """A photo of ``shop`` added as the back-office does (validated, re-encoded)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shops.services.profile import shop_photo_add

    upload = SimpleUploadedFile("vitrine.png", image_bytes(), content_type="image/png")
    return shop_photo_add(shop=shop, upload=upload, alt_text=alt_text)


class StockImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockImport

    shop = factory.SubFactory(ShopFactory)
    file_name = "stock.csv"
    status = StockImportStatus.PREVIEWED
    rows = factory.LazyFunction(list)
    errors = factory.LazyFunction(list)
    row_count = factory.LazyAttribute(lambda i: len(i.rows))


__all__ = ["PASSWORD", "StockImportFactory", "StockRecordFactory", "api_token", "image_bytes", "merchant", "photo_of"]

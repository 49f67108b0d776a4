"""ShopPhoto: a picture of a shop always comes with its alternative text."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shops.models import ShopPhoto
from tests.factories import ShopFactory
from tests.factories.shop_pages import ShopPhotoFactory

pytestmark = pytest.mark.django_db


def test_a_photo_is_stored_under_shops_year_month_with_its_size():
    photo = ShopPhotoFactory(alt_text="La devanture")
    assert photo.image.name.startswith("shops/")
    assert len(photo.image.name.split("/")) == 4  # shops/<year>/<month>/<file>
    assert (photo.width, photo.height) == (40, 30)


def test_the_alt_text_is_required_by_the_form_validation():
    photo = ShopPhotoFactory.build(shop=ShopFactory(), alt_text="")
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "alt_text" in error.value.message_dict
    assert ShopPhoto._meta.get_field("alt_text").verbose_name == "texte alternatif"


def test_the_alt_text_is_required_by_the_database():
    photo = ShopPhotoFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShopPhoto.objects.filter(pk=photo.pk).update(alt_text="")


def test_photos_come_in_display_order():
    shop = ShopFactory()
    second = ShopPhotoFactory(shop=shop, display_order=2)
    first = ShopPhotoFactory(shop=shop, display_order=1)
    assert list(shop.photos.all()) == [first, second]

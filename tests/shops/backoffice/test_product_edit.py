"""Editing a product after its creation: text (sanitised), category, type/VAT, price, stock, SKU, pictures."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from marketplace.catalogue.models import ProductImage
from shops.images import NOT_AN_IMAGE
from shops.services import catalogue
from tests.factories import CategoryFactory, ProductClassFactory, ProductFactory, StockRecordFactory
from tests.factories.backoffice import image_bytes
from tests.factories.shop_pages import ProductImageFactory
from tests.shops.backoffice.test_views import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(staff_a):
    return StockRecordFactory(shop=staff_a[1], product=ProductFactory(title="Tarte"), partner_sku="TARTE",
                              num_in_stock=8, num_allocated=2, price=Decimal("12.00"))


def url(offer) -> str:
    return reverse("backoffice:offer-edit", args=[offer.pk])


def test_every_field_is_saved_and_the_description_sanitised(logged_a, offer):
    category, reduced = CategoryFactory(name="Pâtisserie"), ProductClassFactory(name="Alimentaire", vat_rate=Decimal("5.50"))
    response = logged_a.post(url(offer), edit_data(
        offer, title="Tarte aux pommes", description='<p onclick="x()">Maison <script>alert(1)</script><strong>bio</strong></p>',
        category=category.pk, product_class=reduced.pk, price="13,50", num_in_stock="9", sku="TARTE-POMMES",
    ))
    assert response.status_code == 302
    offer.refresh_from_db()
    product = offer.product
    product.refresh_from_db()
    assert (product.title, product.product_class, list(product.categories.all())) == ("Tarte aux pommes", reduced, [category])
    assert product.description == "<p>Maison <strong>bio</strong></p>"
    assert (offer.price, offer.num_in_stock, offer.partner_sku) == (Decimal("13.50"), 9, "TARTE-POMMES")


def test_the_form_shows_the_current_values(logged_a, offer):
    form = logged_a.get(url(offer)).context["form"]
    assert form.initial["title"] == "Tarte" and form.initial["sku"] == "TARTE" and form.initial["num_in_stock"] == 8


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "Ce champ est obligatoire."),
    ({"price": "12,345"}, "price", "Format de prix invalide (exemple : 3,50)."),
    ({"num_in_stock": "-1"}, "num_in_stock", "Le stock ne peut pas être négatif."),
    ({"num_in_stock": "1"}, "num_in_stock", "Le stock ne peut pas être inférieur aux quantités déjà réservées (2)."),
    ({"sku": "AUTRE"}, "sku", "Ce SKU est déjà utilisé par un autre de vos produits."),
    ({"product_class": "999999"}, "product_class", "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."),
])
def test_bad_input_is_a_french_form_error_and_changes_nothing(logged_a, staff_a, offer, changes, field, message):
    StockRecordFactory(shop=staff_a[1], partner_sku="AUTRE")
    response = logged_a.post(url(offer), edit_data(offer, **{"title": "Nouveau titre", **changes}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    offer.refresh_from_db()
    offer.product.refresh_from_db()
    assert (offer.product.title, offer.partner_sku, offer.num_in_stock) == ("Tarte", "TARTE", 8)


def test_a_product_another_shop_sells_keeps_its_text_but_the_offer_changes(logged_a, offer):
    StockRecordFactory(product=offer.product, partner_sku="CHEZ-LE-VOISIN")
    page = logged_a.get(url(offer))
    assert page.context["form"].fields["title"].disabled
    assert "aussi vendu par un autre commerce" in page.content.decode()
    response = logged_a.post(url(offer), edit_data(offer, title="Tarte piratée", price="11,00"))
    assert response.status_code == 302
    offer.refresh_from_db()
    offer.product.refresh_from_db()
    assert offer.product.title == "Tarte" and offer.price == Decimal("11.00")
    with pytest.raises(ValidationError, match="aussi vendu"):
        catalogue.product_update(offer=offer, title="Tarte piratée", description="", category=None,
                                product_class=offer.product.product_class, price=Decimal(1), num_in_stock=8, sku="TARTE")


def test_pictures_are_added_reordered_and_deleted(logged_a, offer):
    add = reverse("backoffice:product-image-add", args=[offer.pk])
    for colour in ("red", "blue"):
        logged_a.post(add, {"image": SimpleUploadedFile(f"{colour}.png", image_bytes(color=colour)), "caption": colour})
    assert list(offer.product.images.order_by("display_order").values_list("caption", flat=True)) == ["red", "blue"]
    blue = offer.product.images.get(caption="blue")

    logged_a.post(reverse("backoffice:product-image-move", args=[offer.pk, blue.pk]), {"direction": "up"})
    assert list(offer.product.images.order_by("display_order").values_list("caption", flat=True)) == ["blue", "red"]
    assert offer.product.primary_image().caption == "blue"

    logged_a.post(reverse("backoffice:product-image-delete", args=[offer.pk, blue.pk]))
    assert list(offer.product.images.values_list("caption", "display_order")) == [("red", 0)]


def test_moving_a_picture_deleted_meanwhile_is_a_french_message_and_changes_nothing(offer):
    kept = ProductImageFactory(product=offer.product, display_order=0)
    gone = ProductImageFactory(product=offer.product, display_order=1)
    ProductImage.objects.filter(pk=gone.pk).delete()  # another tab deleted it after the page was read
    with pytest.raises(ValidationError, match="Cette photo n'existe plus"):
        catalogue.product_image_move(offer=offer, image=gone, direction="up")
    assert list(offer.product.images.values_list("pk", "display_order")) == [(kept.pk, 0)]


def test_a_bad_picture_is_refused_with_a_french_message(logged_a, offer):
    response = logged_a.post(reverse("backoffice:product-image-add", args=[offer.pk]),
                             {"image": SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}, follow=True)
    assert escape(NOT_AN_IMAGE) in response.content.decode()
    assert not ProductImage.objects.exists()


def test_pictures_of_a_shared_product_are_not_the_merchants(logged_a, offer):
    picture = ProductImageFactory(product=offer.product)
    StockRecordFactory(product=offer.product)
    response = logged_a.post(reverse("backoffice:product-image-delete", args=[offer.pk, picture.pk]), follow=True)
    assert "aussi vendu par un autre commerce" in response.content.decode()
    assert ProductImage.objects.filter(pk=picture.pk).exists()


def test_edit_page_queries_do_not_grow_with_pictures(logged_a, offer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProductImageFactory(product=offer.product)
    logged_a.get(url(offer))
    with CaptureQueriesContext(connection) as few:
        logged_a.get(url(offer))
    ProductImageFactory.create_batch(4, product=offer.product)
    logged_a.get(url(offer))  # thumbnails generated once
    with CaptureQueriesContext(connection) as many:
        assert logged_a.get(url(offer)).status_code == 200
    assert len(many) == len(few)


def test_saving_the_form_as_shown_changes_nothing_of_a_shared_product(logged_a, offer):
    offer.product.description = "Pâte brisée & pommes.\n\nCuite le matin."
    offer.product.save()
    StockRecordFactory(product=offer.product)
    initial = logged_a.get(url(offer)).context["form"].initial
    assert initial["description"] == "Pâte brisée & pommes.\n\nCuite le matin."
    data = {k: ("" if v is None else v) for k, v in initial.items()}
    data["price"] = "12,50"
    assert logged_a.post(url(offer), data).status_code == 302
    offer.refresh_from_db()
    assert offer.price == Decimal("12.50")

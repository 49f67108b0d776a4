"""Back-office pages as a merchant: French forms, decimal comma, errors as form errors, never a 500."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.partner.models import StockRecord
from shops.backoffice.views_imports import csv_cell
from shops.models import StockImport, StockImportStatus
from tests.factories import ProductClassFactory, ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.backoffice import image_bytes, merchant

pytestmark = pytest.mark.django_db


def edit_data(offer, **changes) -> dict:
    """The product edit form as shown for ``offer``, with ``changes``."""
    product = offer.product
    return {
        "title": product.title, "description": product.description, "category": "",
        "product_class": product.product_class_id, "price": str(offer.price).replace(".", ","),
        "num_in_stock": offer.num_in_stock, "sku": offer.partner_sku, **changes,
    }


def test_offer_edit_accepts_a_french_decimal_comma(logged_a, staff_a):
    offer = StockRecordFactory(shop=staff_a[1])
    response = logged_a.post(reverse("backoffice:offer-edit", args=[offer.pk]), edit_data(offer, price="3,50", num_in_stock="12"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.price, offer.num_in_stock) == (Decimal("3.50"), 12)


def test_stock_below_reserved_is_a_form_error_not_a_500(logged_a, staff_a):
    offer = StockRecordFactory(shop=staff_a[1], num_in_stock=10, num_allocated=6)
    response = logged_a.post(reverse("backoffice:offer-edit", args=[offer.pk]), edit_data(offer, price="1", num_in_stock="5"))
    assert response.status_code == 200
    assert "Le stock ne peut pas être inférieur aux quantités déjà réservées (6)." in response.content.decode()
    offer.refresh_from_db()
    assert offer.num_in_stock == 10


def test_offer_list_search_filters_and_constant_queries(logged_a, staff_a):
    shop = staff_a[1]
    StockRecordFactory(shop=shop, product=ProductFactory(title="Baguette tradition"), partner_sku="BAG")
    StockRecordFactory(shop=shop, product=ProductFactory(title="Croissant"), num_in_stock=2, low_stock_threshold=5)
    StockRecordFactory(shop=shop, product=ProductFactory(title="Brioche"), num_in_stock=3, num_allocated=3)
    StockRecordFactory(product=ProductFactory(title="Baguette d'ailleurs"))  # another shop

    def titles(**params):
        return [o.product.title for o in logged_a.get(reverse("backoffice:offers"), params).context["page_obj"]]

    assert titles() == ["Baguette tradition", "Brioche", "Croissant"]
    assert titles(q="bag") == ["Baguette tradition"]
    assert titles(q="BAG") == ["Baguette tradition"]
    assert titles(stock="bas") == ["Brioche", "Croissant"]
    assert titles(stock="rupture") == ["Brioche"]

    with CaptureQueriesContext(connection) as few:
        logged_a.get(reverse("backoffice:offers"))
    StockRecordFactory.create_batch(20, shop=shop)
    with CaptureQueriesContext(connection) as many:
        assert logged_a.get(reverse("backoffice:offers")).status_code == 200
    assert len(many) == len(few)


def test_bulk_edit_over_the_page_is_all_or_nothing(logged_a, staff_a):
    shop = staff_a[1]
    a = StockRecordFactory(shop=shop, product=ProductFactory(title="A"), num_in_stock=5)
    b = StockRecordFactory(shop=shop, product=ProductFactory(title="B"), num_in_stock=5, num_allocated=4)
    data = {
        "o-TOTAL_FORMS": "2", "o-INITIAL_FORMS": "2",
        "o-0-offer": a.pk, "o-0-price": "1,20", "o-0-num_in_stock": "9",
        "o-1-offer": b.pk, "o-1-price": "2,00", "o-1-num_in_stock": "1",
    }
    response = logged_a.post(reverse("backoffice:offers"), data)
    assert response.status_code == 200
    assert "quantités déjà réservées (4)" in response.content.decode()
    a.refresh_from_db()
    assert a.num_in_stock == 5
    data["o-1-num_in_stock"] = "4"
    assert logged_a.post(reverse("backoffice:offers"), data).status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.price, a.num_in_stock, b.price, b.num_in_stock) == (Decimal("1.20"), 9, Decimal("2.00"), 4)


def test_low_stock_page(logged_a, staff_a):
    StockRecordFactory(shop=staff_a[1], product=ProductFactory(title="Presque plus"), num_in_stock=6, num_allocated=2,
                       low_stock_threshold=4)
    StockRecordFactory(shop=staff_a[1], product=ProductFactory(title="Plein"), num_in_stock=60, low_stock_threshold=4)
    response = logged_a.get(reverse("backoffice:low-stock"))
    assert [o.product.title for o in response.context["offers"]] == ["Presque plus"]


def test_product_create_page(logged_a, staff_a):
    pc = ProductClassFactory(name="Alimentaire", vat_rate=Decimal("5.50"))
    response = logged_a.post(reverse("backoffice:product-create"), {
        "title": "Tarte aux pommes", "description": "Maison", "product_class": pc.pk, "price": "12,90",
        "num_in_stock": "4", "sku": "TARTE", "image": SimpleUploadedFile("t.png", image_bytes()),
    })
    assert response.status_code == 302
    offer = StockRecord.objects.get(partner=staff_a[1].partner, partner_sku="TARTE")
    assert offer.price == Decimal("12.90") and offer.product.title == "Tarte aux pommes"


def test_product_create_with_svg_shows_a_french_error(logged_a):
    pc = ProductClassFactory()
    response = logged_a.post(reverse("backoffice:product-create"), {
        "title": "X", "product_class": pc.pk, "price": "1", "num_in_stock": "1", "sku": "X",
        "image": SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    })
    assert response.status_code == 200
    assert "n&#x27;est pas une image PNG, JPEG ou WebP" in response.content.decode()


def test_archive_from_the_list(logged_a, staff_a):
    offer = StockRecordFactory(shop=staff_a[1])
    assert logged_a.post(reverse("backoffice:offer-archive", args=[offer.pk]), {"action": "archive"}).status_code == 302
    offer.product.refresh_from_db()
    assert offer.product.is_public is False
    assert [o.pk for o in logged_a.get(reverse("backoffice:offers"), {"stock": "archives"}).context["page_obj"]] == [offer.pk]


def test_profile_hours_closures_and_photos(logged_a, staff_a):
    shop = staff_a[1]
    response = logged_a.post(reverse("backoffice:profile"), {
        "description": "<script>x</script>Bonjour", "line1": "2 rue Neuve", "postcode": "45210", "city": "Beaumont",
        "phone": "0238000000", "email": "a@b.fr", "preparation_minutes": "30", "daily_order_cap": "40", "vacation_mode": "on",
    })
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.vacation_mode and shop.preparation_minutes == 30 and "script" not in shop.description

    hours = {"h-TOTAL_FORMS": "2", "h-INITIAL_FORMS": "0", "h-0-weekday": "0", "h-0-opens": "09:00", "h-0-closes": "12:00",
             "h-1-weekday": "1", "h-1-opens": "14:00", "h-1-closes": "13:00"}
    assert logged_a.post(reverse("backoffice:hours"), hours).status_code == 200  # second period invalid: nothing saved
    assert not shop.opening_periods.exists()
    hours["h-1-closes"] = "19:00"
    assert logged_a.post(reverse("backoffice:hours"), hours).status_code == 302
    assert shop.opening_periods.count() == 2

    august = dt.date.today().year + 1  # next summer: a closure starts today or later
    assert logged_a.post(reverse("backoffice:closures"),
                         {"starts_at": f"{august}-08-01T08:00", "ends_at": f"{august}-08-15T20:00", "reason": "Congés"}).status_code == 302
    closure = shop.closures.get()
    assert logged_a.post(reverse("backoffice:closure-delete", args=[closure.pk])).status_code == 302
    assert not shop.closures.exists()

    # A script glued after the picture is left behind: only the re-encoded pixels are stored.
    response = logged_a.post(reverse("backoffice:photos"),
                             {"image": SimpleUploadedFile("p.png", image_bytes() + b"<script>x</script>"), "alt_text": "Vitrine"})
    assert response.status_code == 302
    with shop.photos.get().image.open("rb") as stored:
        assert b"<script" not in stored.read()
    response = logged_a.post(reverse("backoffice:photos"),
                             {"image": SimpleUploadedFile("p.svg.png", b"<svg onload='x()'/>"), "alt_text": "Vitrine"})
    assert response.status_code == 200 and "pas une image PNG, JPEG ou WebP" in response.content.decode()
    assert logged_a.post(reverse("backoffice:photos"),
                         {"image": SimpleUploadedFile("p.webp", image_bytes(fmt="WEBP")), "alt_text": "Vitrine"}).status_code == 302
    assert shop.photos.order_by("pk").last().image.name.endswith(".webp") and shop.photos.count() == 2


def test_csv_import_preview_then_apply(logged_a, staff_a):
    offer = StockRecordFactory(shop=staff_a[1], partner_sku="PAIN", num_in_stock=1)
    data = "\ufeffsku;prix;stock\nPAIN;1,10;30\n".encode()
    response = logged_a.post(reverse("backoffice:imports"), {"file": SimpleUploadedFile("stock.csv", data)})
    imp = StockImport.objects.get(shop=staff_a[1])
    assert response["Location"] == reverse("backoffice:import-detail", args=[imp.pk])
    page = logged_a.get(response["Location"]).content.decode()
    assert "prêt à appliquer" in page
    offer.refresh_from_db()
    assert offer.num_in_stock == 1  # preview writes nothing
    logged_a.post(reverse("backoffice:import-apply", args=[imp.pk]))
    imp.refresh_from_db(), offer.refresh_from_db()
    assert imp.status == StockImportStatus.APPLIED and imp.user == staff_a[0]
    assert (offer.price, offer.num_in_stock) == (Decimal("1.10"), 30)
    assert "appliqué" in logged_a.get(reverse("backoffice:import-detail", args=[imp.pk])).content.decode()


def test_csv_import_with_errors_lists_them_and_is_refused(logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:imports"),
                             {"file": SimpleUploadedFile("s.csv", b"sku;prix;stock\nX;abc;-1\nY;1;1\n")}, follow=True)
    body = response.content.decode()
    assert "refusé" in body and "Format de prix invalide" in body and "Quantité négative" in body and "SKU inconnu" in body


def test_csv_export_escapes_formulas(logged_a, staff_a):
    StockRecordFactory(shop=staff_a[1], partner_sku="=HYPERLINK(1)", product=ProductFactory(title="@SUM(A1)"), price=Decimal("3.50"))
    response = logged_a.get(reverse("backoffice:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["sku", "prix", "stock"]
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][1] == "3,50" and rows[1][4] == "'@SUM(A1)"


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@x", "\tx"])
def test_csv_cell_prefixes_formula_starts(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell("Pain") == "Pain"


def test_a_user_with_two_shops_picks_one(client):
    user, _first = merchant(username="multi")
    second = ShopFactory(name="Second commerce")
    second.partner.users.add(user)
    StockRecordFactory(shop=second, partner_sku="SECOND")
    client.force_login(user)
    assert client.get(reverse("backoffice:offers"))["Location"] == reverse("backoffice:shop-choose")
    assert client.post(reverse("backoffice:shop-choose"), {"shop": second.pk}).status_code == 302
    assert [o.partner_sku for o in client.get(reverse("backoffice:offers")).context["page_obj"]] == ["SECOND"]
    second.partner.users.remove(user)  # no longer staff: the session is not trusted
    assert client.get(reverse("backoffice:offers")).status_code == 200
    assert [o.partner_sku for o in client.get(reverse("backoffice:offers")).context["page_obj"]] == []


def test_header_link_for_shop_staff_only(client, staff_a):
    from tests.factories import UserFactory

    client.force_login(staff_a[0])
    assert "Espace commerçant" in client.get("/").content.decode()
    client.force_login(UserFactory(username="client"))
    assert "Espace commerçant" not in client.get("/").content.decode()

"""The CSV preview says what changes (old → new price and stock, this shop's offers only), its
button counts lines as French does, and a bulk price/stock POST that is not the page's own form
gets a precise French refusal and changes nothing."""
from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.partner.models import StockRecord
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db


def _preview(client, csv_text: str) -> str:
    data = ("\ufeffsku;prix;stock\n" + csv_text).encode()
    response = client.post(reverse("backoffice:imports"), {"file": SimpleUploadedFile("stock.csv", data)})
    assert response.status_code == 302
    return html.unescape(client.get(response["Location"]).content.decode())


def _cell(page: str, sku: str, kind: str) -> str:
    row = page.split(f'data-sku="{sku}"', 1)[1].split("</tr>", 1)[0]
    cell = row.split(f'class="import-{kind}">', 1)[1].split("</td>", 1)[0]
    return cell.replace("<strong>", "").replace("</strong>", "")


def test_the_preview_shows_old_and_new_price_and_stock(logged_a, staff_a):
    StockRecordFactory(shop=staff_a[1], partner_sku="PAIN", price=Decimal("1.20"), num_in_stock=4)
    StockRecordFactory(shop=staff_a[1], partner_sku="MIEL", price=Decimal("8.00"), num_in_stock=2)

    page = _preview(logged_a, "PAIN;1,40;12\nMIEL;;5\n")

    assert _cell(page, "PAIN", "price") == "1,20 € → 1,40 €"
    assert _cell(page, "PAIN", "stock") == "4 → 12"
    assert _cell(page, "MIEL", "price") == "inchangé (8,00 €)"
    assert _cell(page, "MIEL", "stock") == "2 → 5"


def test_the_apply_button_counts_lines_in_french(logged_a, staff_a):
    StockRecordFactory(shop=staff_a[1], partner_sku="PAIN")
    StockRecordFactory(shop=staff_a[1], partner_sku="MIEL")

    one = _preview(logged_a, "PAIN;1,40;12\n")
    two = _preview(logged_a, "PAIN;1,40;12\nMIEL;2;3\n")

    assert "Appliquer la ligne" in one and "les 1 ligne" not in one
    assert "Appliquer les 2 lignes" in two


def test_the_preview_does_not_reveal_another_shops_offer(logged_a, staff_a):
    StockRecordFactory(shop=ShopFactory(), partner_sku="AILLEURS", price=Decimal("9.99"), num_in_stock=77)
    response = logged_a.post(reverse("backoffice:imports"), {
        "file": SimpleUploadedFile("s.csv", b"sku;prix;stock\nAILLEURS;1;1\n")})
    page = logged_a.get(response["Location"]).content.decode()

    assert "9,99" not in page and "77" not in page


def _bulk_data(offers, **extra) -> dict:
    data = {"o-TOTAL_FORMS": str(len(offers)), "o-INITIAL_FORMS": str(len(offers))}
    for n, offer in enumerate(offers):
        data.update({f"o-{n}-offer": offer.pk, f"o-{n}-price": "3,00", f"o-{n}-num_in_stock": "9"})
    data.update(extra)
    return data


@pytest.fixture
def page_offers(staff_a):
    return [StockRecordFactory(shop=staff_a[1], product=ProductFactory(title=f"Produit {n}"), price=Decimal("1.00"),
                               num_in_stock=5) for n in range(2)]


def _unchanged(offers) -> bool:
    return all(StockRecord.objects.get(pk=o.pk).price == Decimal("1.00") for o in offers)


@pytest.mark.parametrize("crafted, message", [
    (lambda offers, other: {k: v for k, v in _bulk_data(offers).items() if not k.endswith("FORMS")},
     "Le formulaire envoyé est incomplet ou a été modifié : rien n'a été enregistré."),
    (lambda offers, other: _bulk_data(offers, **{"o-TOTAL_FORMS": "abc"}),
     "Le formulaire envoyé est incomplet ou a été modifié : rien n'a été enregistré."),
    (lambda offers, other: _bulk_data([*offers] * 60),
     "Trop de lignes envoyées (100 au plus par page) : rien n'a été enregistré."),
    (lambda offers, other: _bulk_data([offers[0], other]),
     "Les lignes envoyées ne correspondent pas aux produits de cette page"),
])
def test_a_crafted_bulk_post_gets_a_french_refusal_and_changes_nothing(logged_a, page_offers, crafted, message):
    other = StockRecordFactory(shop=ShopFactory(), price=Decimal("1.00"))

    response = logged_a.post(reverse("backoffice:offers"), crafted(page_offers, other))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert page.count('name="o-0-offer"') == 1  # the page's own rows are shown again
    assert _unchanged([*page_offers, other])


def test_the_pages_own_bulk_form_still_saves(logged_a, page_offers):
    response = logged_a.post(reverse("backoffice:offers"), _bulk_data(page_offers), follow=True)

    assert "2 offres mises à jour." in html.unescape(response.content.decode())
    assert StockRecord.objects.get(pk=page_offers[0].pk).price == Decimal("3.00")

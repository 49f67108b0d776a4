"""What a real form checks in the shop's profile, hours and closures: every bad input gets
its precise French message on the page and nothing is written; good input is stored in one
form (postcode as typed without spaces, phone E.164)."""
from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shops import validation
from shops.services import profile as shop_profile
from shops.models import Closure, OpeningPeriod, Shop

pytestmark = pytest.mark.django_db

PROFILE = {
    "description": "Pain au levain", "line1": "2 rue Neuve", "postcode": "45210", "city": "Beaumont-sur-Loing",
    "phone": "02 38 12 34 56", "email": "contact@fournil.test", "preparation_minutes": "30", "daily_order_cap": "40",
}


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _shop_row(shop) -> dict:
    return Shop.objects.filter(pk=shop.pk).values().get()


def test_a_good_profile_is_stored_with_the_phone_in_e164(logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:profile"), {**PROFILE, "postcode": " 45 210 "})
    assert response.status_code == 302
    shop = Shop.objects.get(pk=staff_a[1].pk)
    assert (shop.postcode, shop.phone) == ("45210", "+33238123456")
    page = _page(logged_a.get(shop.get_absolute_url()))
    assert 'href="tel:+33238123456">02 38 12 34 56</a>' in page  # shoppers read it the French way


@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"postcode": "4521"}, validation.POSTCODE_FORMAT, id="code-postal-4-chiffres"),
    pytest.param({"postcode": "45 21A"}, validation.POSTCODE_FORMAT, id="code-postal-lettre"),
    pytest.param({"postcode": "00123"}, "Le code postal « 00123 » ne correspond à aucun département français.",
                 id="code-postal-00"),
    pytest.param({"postcode": "96100"}, "Le code postal « 96100 » ne correspond à aucun département français.",
                 id="code-postal-96"),
    pytest.param({"postcode": "97900"}, "Le code postal « 97900 » ne correspond à aucun département français.",
                 id="code-postal-979"),
    pytest.param({"phone": "0612"}, validation.PHONE_INVALID, id="telephone-court"),
    pytest.param({"phone": "12345678901"}, validation.PHONE_INVALID, id="telephone-faux"),
    pytest.param({"phone": "appelez-nous"}, validation.PHONE_INVALID, id="telephone-texte"),
    pytest.param({"description": "x" * 2001},
                 "La description ne doit pas dépasser 2\u00a0000 caractères (vous en avez saisi 2\u00a0001).",
                 id="description-trop-longue"),
    pytest.param({"preparation_minutes": "-5"}, "Le temps de préparation ne peut pas être négatif.", id="preparation-negative"),
    pytest.param({"preparation_minutes": "20000"}, "Le temps de préparation ne peut pas dépasser 7 jours",
                 id="preparation-trop-longue"),
    pytest.param({"daily_order_cap": "0"}, "Au moins une commande par jour", id="plafond-nul"),
    pytest.param({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide.", id="e-mail"),
])
def test_a_bad_profile_gets_its_french_message_and_nothing_is_written(logged_a, staff_a, changes, message):
    before = _shop_row(staff_a[1])

    response = logged_a.post(reverse("backoffice:profile"), {**PROFILE, **changes})

    assert response.status_code == 200
    assert message in _page(response)
    assert _shop_row(staff_a[1]) == before


def test_a_domtom_and_a_corsican_postcode_are_french(staff_a):
    for postcode in ("97400", "20000", "98800", "01000", "95880"):
        assert validation.postcode_validated(postcode) == postcode


def test_the_service_checks_what_the_form_checks(staff_a):
    shop = staff_a[1]
    before = _shop_row(shop)
    for fields in ({"postcode": "99999"}, {"phone": "0612"}, {"description": "é" * 2001}):
        with pytest.raises(ValidationError):
            shop_profile.shop_profile_update(shop=shop, **fields)
    assert _shop_row(shop) == before


def _hours(*periods, deleted=()):
    data = {"h-TOTAL_FORMS": str(len(periods)), "h-INITIAL_FORMS": "0"}
    for n, (day, opens, closes) in enumerate(periods):
        data.update({f"h-{n}-weekday": str(day), f"h-{n}-opens": opens, f"h-{n}-closes": closes})
        if n in deleted:
            data[f"h-{n}-DELETE"] = "on"
    return data


@pytest.mark.parametrize(("periods", "message"), [
    pytest.param([(0, "09:00", "12:00"), (0, "11:00", "14:00")],
                 "Les horaires du lundi se chevauchent (09:00–12:00 et 11:00–14:00) : corrigez ou supprimez l'une des périodes.",
                 id="chevauchement"),
    pytest.param([(5, "08:00", "19:00"), (5, "14:00", "16:00")],
                 "Les horaires du samedi se chevauchent (08:00–19:00 et 14:00–16:00)", id="inclus"),
    pytest.param([(2, "09:00", "12:00"), (2, "09:00", "12:00")],
                 "Les horaires du mercredi se chevauchent (09:00–12:00 et 09:00–12:00)", id="en-double"),
    pytest.param([(1, "14:00", "13:00")], "L'heure de fermeture doit être après l'heure d'ouverture.", id="a-l-envers"),
    pytest.param([(1, "25:00", "13:00")], "Saisissez une heure valide.", id="heure-impossible"),
])
def test_bad_opening_hours_are_refused_with_a_clear_message_and_the_old_ones_kept(logged_a, staff_a, periods, message):
    shop = staff_a[1]
    shop_profile.shop_opening_hours_set(shop=shop, periods=[(3, dt.time(10), dt.time(18))])
    before = list(OpeningPeriod.objects.filter(shop=shop).values_list("weekday", "opens", "closes"))

    response = logged_a.post(reverse("backoffice:hours"), _hours(*periods))

    assert response.status_code == 200
    assert message in _page(response)
    assert list(OpeningPeriod.objects.filter(shop=shop).values_list("weekday", "opens", "closes")) == before


def test_touching_periods_and_a_deleted_overlap_are_fine(logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:hours"), _hours(
        (0, "09:00", "12:00"), (0, "12:00", "18:00"), (0, "10:00", "11:00"), deleted=(2,)))

    assert response.status_code == 302
    assert staff_a[1].opening_periods.count() == 2


def test_the_hours_service_refuses_overlaps_too(staff_a):
    with pytest.raises(ValidationError, match="se chevauchent"):
        shop_profile.shop_opening_hours_set(shop=staff_a[1], periods=[(4, dt.time(9), dt.time(13)), (4, dt.time(12), dt.time(19))])
    assert not staff_a[1].opening_periods.exists()


def _local(days: int, hour: int = 9) -> str:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(("starts", "ends", "message"), [
    pytest.param(_local(-3), _local(2), "La fermeture ne peut pas commencer avant aujourd'hui.", id="passee"),
    pytest.param(_local(10, 18), _local(10, 9), "La fin doit être après le début.", id="fin-avant-debut"),
    pytest.param(_local(10), _local(10), "La fin doit être après le début.", id="fin-egale-debut"),
    pytest.param(_local(5), _local(800), "Une fermeture se saisit au plus deux ans à l'avance", id="trop-loin"),
    pytest.param("demain", _local(3), "Saisissez une date et une heure valides.", id="date-illisible"),
])
def test_a_closure_out_of_range_is_refused_in_french_and_not_written(logged_a, staff_a, starts, ends, message):
    response = logged_a.post(reverse("backoffice:closures"), {"starts_at": starts, "ends_at": ends, "reason": "Congés"})

    assert response.status_code == 200
    assert message in _page(response)
    assert not Closure.objects.exists()


def test_a_closure_from_earlier_today_to_next_week_is_accepted(logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:closures"), {
        "starts_at": timezone.localtime().replace(hour=0, minute=30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": _local(7), "reason": "Travaux",
    })
    assert response.status_code == 302
    assert staff_a[1].closures.get().reason == "Travaux"

"""The demo town delivers: its streets loaded from a BAN-format file, one zone around the market
square, a week of windows ridden by the two demo couriers, the demo shopper's address inside."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.apps.address.models import UserAddress

from logistics.delivery.models import Address, Courier, DeliveryWindow, DeliveryZone
from logistics.delivery.services.zones import zone_for_address
from logistics.geo import geocoder

pytestmark = pytest.mark.django_db


def test_seed_town_makes_a_delivering_town_and_lists_the_couriers():
    out = StringIO()
    args = ["--shops", "2", "--products", "5", "--no-images", "--accounts"]
    call_command("seed_town", *args, stdout=out)
    call_command("seed_town", *args, stdout=StringIO())  # idempotent
    assert "coursier1@halle.test" in out.getvalue() and "coursier2@halle.test" in out.getvalue()
    assert Address.objects.count() == 14 * 40
    zone = DeliveryZone.objects.get()
    assert zone.postcodes == ["45210"] and zone.radius_m == 2500
    windows = DeliveryWindow.objects.filter(ends_at__gt=timezone.now())
    assert windows.exists() and {w.capacity for w in windows} == {24}  # two cargo bikes of 12 parcels
    assert set(Courier.objects.values_list("user__email", flat=True)) == {"coursier1@halle.test",
                                                                          "coursier2@halle.test"}
    home = UserAddress.objects.get(user__email="client@halle.test")
    place = geocoder().locate(street=home.line1, postcode=home.postcode, town=home.line4)
    assert zone_for_address(address=place) == zone

"""The demo town delivers: its streets in the local address base (written as a BAN CSV and
loaded by the real import), one zone (its postcode plus 2.5 km around the market square),
window templates Monday to Saturday, two couriers with a cargo bike each on every window of
the coming week, and the demo shopper's address inside the zone. Idempotent."""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from marketplace.demo import vocabulary as voc

COURIERS = (("coursier1@halle.test", "Chloé", "Coursière", "06 11 22 33 44"),
            ("coursier2@halle.test", "Karim", "Coursier", "06 55 66 77 88"))
WINDOWS = ((dt.time(10), dt.time(12)), (dt.time(14), dt.time(16)), (dt.time(17), dt.time(19)))
NUMBERS_PER_STREET = 40
#: The demo shopper's home (in the zone).
SHOPPER_HOME = ("12 rue de la République", "Appartement 3, 2e étage")


def _ascii(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def demo_streets_csv(*, path: Path, centre: tuple[float, float], postcode: str, town: str, seed: int = 1) -> Path:
    """A BAN-format « adresses-XX.csv » of the demo town's streets (numbers 1–40 each)."""
    from logistics.delivery.services.addresses import addresses_csv

    rng = random.Random(f"streets-{seed}")
    rows = []
    for s_index, street in enumerate(voc.STREETS):
        name = street[0].upper() + street[1:]
        lat0, lon0 = centre[0] + rng.uniform(-0.006, 0.006), centre[1] + rng.uniform(-0.008, 0.008)
        heading = rng.uniform(-1, 1)
        for n in range(1, NUMBERS_PER_STREET + 1):
            rows.append({
                "id": f"{postcode}_{s_index:04d}_{n:05d}", "id_fantoir": f"{postcode}_{s_index:04d}",
                "numero": str(n), "rep": "", "nom_voie": name, "code_postal": postcode, "code_insee": "45031",
                "nom_commune": town, "lon": f"{lon0 + heading * n * 0.00006:.6f}",
                "lat": f"{lat0 + (1 - abs(heading)) * n * 0.00004:.6f}", "type_position": "entrée",
                "libelle_acheminement": _ascii(town).upper(), "nom_afnor": _ascii(name).upper(),
                "source_position": "commune", "source_nom_voie": "commune",
            })
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(addresses_csv(rows), encoding="utf-8")
    return path


def delivery_seed(*, today: dt.date, centre: tuple[float, float], postcode: str, town: str) -> None:
    """Streets, zone and window templates; windows for 7 days from ``today``."""
    from logistics.delivery.models import DeliveryWindowTemplate, DeliveryZone, ZoneKind
    from logistics.delivery.services.addresses import addresses_import_file
    from logistics.delivery.services.windows import windows_generate
    from logistics.models import CollectionPoint, PointKind

    csv_path = Path(settings.BASE_DIR) / "var" / "demo" / f"adresses-{postcode}.csv"
    addresses_import_file(path=str(demo_streets_csv(path=csv_path, centre=centre, postcode=postcode, town=town)))
    depot = CollectionPoint.objects.filter(kind=PointKind.TOWN_POINT).order_by("pk").first()
    zone, _ = DeliveryZone.objects.get_or_create(name="Centre-ville", defaults={
        "kind": ZoneKind.POSTCODES, "postcodes": [postcode], "center_latitude": Decimal(str(centre[0])),
        "center_longitude": Decimal(str(centre[1])), "radius_m": 2500, "fee": Decimal("3.90"),
        "minimum_order": Decimal("15.00"), "free_from": Decimal("50.00"), "weekdays": [0, 1, 2, 3, 4, 5],
        "depot": depot,
    })
    for weekday in range(6):
        for start, end in WINDOWS:
            template, _ = DeliveryWindowTemplate.objects.get_or_create(
                weekday=weekday, start=start, defaults={"end": end, "cutoff_minutes": 120})
            template.zones.add(zone)
    windows_generate(start_date=today, days=7)


def delivery_demo_accounts(*, password_hash: str, today: dt.date):
    """The two couriers (a cargo bike each, on shift on every coming window) and the shopper's address."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from oscar.apps.address.models import Country

    from logistics.delivery.models import Courier, DeliveryWindow, Shift, SpeedProfile, Vehicle
    from logistics.delivery.services.fleet import courier_create
    from logistics.delivery.services.windows import RosterError, shift_add
    from marketplace.demo.accounts import DEMO_PASSWORD, DemoAccount

    accounts = []
    User = get_user_model()
    for number, (email, first, last, phone) in enumerate(COURIERS, start=1):
        courier = Courier.objects.filter(user__email=email).first()
        if courier is None:
            courier = courier_create(email=email, first_name=first, last_name=last, phone=phone)
            User.objects.filter(pk=courier.user_id).update(password=password_hash)
        bike, _ = Vehicle.objects.get_or_create(name=f"Vélo cargo {number}", defaults={
            "profile": SpeedProfile.CARGO_BIKE, "capacity_parcels": 12, "capacity_kg": 150, "capacity_litres": 400})
        windows = DeliveryWindow.objects.filter(ends_at__gt=timezone.now()).exclude(shifts__courier=courier)
        for window in windows.order_by("starts_at"):
            if not Shift.objects.filter(window=window, vehicle=bike).exists():
                try:
                    shift_add(window_id=window.pk, courier=courier, vehicle=bike)
                except RosterError:
                    continue
        accounts.append(DemoAccount("Coursier", email, DEMO_PASSWORD, f"{bike.name}, /gestion/livraison/"))
    shopper = User.objects.filter(email="client@halle.test").first()
    if shopper is not None:
        from oscar.apps.address.models import UserAddress

        country, _ = Country.objects.get_or_create(iso_3166_1_a2="FR", defaults={
            "iso_3166_1_a3": "FRA", "iso_3166_1_numeric": "250", "printable_name": "France",
            "name": "République française", "is_shipping_country": True})
        if not UserAddress.objects.filter(user=shopper).exists():
            UserAddress.objects.create(
                user=shopper, first_name="Claire", last_name="Client", line1=SHOPPER_HOME[0],
                line2=SHOPPER_HOME[1], postcode="45210", line4=settings.HALLE_TOWN_NAME, country=country,
                is_default_for_shipping=True,
            )
    return accounts

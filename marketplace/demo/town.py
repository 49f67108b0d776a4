"""Generate a whole demo town, deterministically and idempotently.

The same ``seed`` always gives the same shops, products, prices and stock;
running it again adds nothing that is already there. Bulk inserts keep a
200-shop, 100,000-product town within a few minutes on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from marketplace.catalogue.models import Category, Product, ProductCategory, ProductClass, ProductImage
from marketplace.demo import vocabulary as voc
from marketplace.demo.attributes import attributes_seed
from marketplace.demo.images import placeholder_image
from shops.validation import phone_normalised
from marketplace.partner.models import Partner, StockRecord
from shops.models import Closure, OpeningPeriod, Shop

BATCH = 2000
TOWN_CENTRE = (47.9975, 2.7330)  # latitude, longitude of the demo town's market square
TOWN_NAME = settings.HALLE_TOWN_NAME
TOWN_POSTCODE = "45210"
SECOND_OFFER_SHARE = 0.06


@dataclass
class TownSeedReport:
    shops_created: int = 0
    products_created: int = 0
    stockrecords_created: int = 0
    images_created: int = 0


def _price(rng: random.Random, base: float) -> Decimal:
    value = base * rng.uniform(0.8, 1.3)
    step = 0.1 if value < 20 else 1.0
    return Decimal(str(round(round(value / step) * step - (0.01 if step == 1.0 else 0), 2))).quantize(
        Decimal("0.01")
    )


def _stock(rng: random.Random) -> int:
    return 0 if rng.random() < 0.07 else rng.randint(1, 60)


def _ensure_product_classes() -> dict[str, ProductClass]:
    classes = {}
    for slug, (name, rate) in voc.PRODUCT_CLASSES.items():
        pc, _ = ProductClass.objects.get_or_create(
            slug=slug, defaults={"name": name, "vat_rate": Decimal(rate), "requires_shipping": False}
        )
        classes[slug] = pc
    return classes


def _ensure_categories() -> dict[str, Category]:
    existing = {c.slug: c for c in Category.objects.all()}
    for top_name, top_slug, children in voc.CATEGORIES:
        top = existing.get(top_slug) or Category.objects.add_root(create_kwargs={"name": top_name, "slug": top_slug})
        existing[top_slug] = top
        for name, slug in children:
            if slug not in existing:
                top.refresh_from_db()
                existing[slug] = Category.objects.add_child(top, create_kwargs={"name": name, "slug": slug})
    return existing


def _opening_periods(rng: random.Random, spec: voc.TradeSpec) -> list[tuple[int, dt.time, dt.time]]:
    t = dt.time
    if spec.hours == "bakery":
        # Tuesday to Saturday, and Sunday morning (weekday 6).
        days, periods = range(1, 6), [(t(7, 0), t(13, 0)), (t(15, 30), t(19, 30))]
        sunday = [(6, t(7, 30), t(12, 30))]
    elif spec.hours == "market":
        days, periods = range(1, 6), [(t(8, 30), t(12, 30)), (t(15, 0), t(19, 0))]
        sunday = [(6, t(8, 0), t(13, 0))]
    else:
        days = range(1, 6) if rng.random() < 0.8 else range(0, 6)
        opens = t(9, 30) if rng.random() < 0.6 else t(10, 0)
        periods, sunday = [(opens, t(12, 30)), (t(14, 0), t(19, 0))], []
    result = [(day, a, b) for day in days for a, b in periods]
    result += sunday
    return sorted(set(result))


def _shop_rows(seed: int, count: int):
    """(spec, name, slug, street address, lat, lon, prep minutes) for each shop index."""
    rng = random.Random(f"shops-{seed}")
    used: set[str] = set()
    specs = {spec.trade: spec for spec in voc.TRADES}
    for index in range(count):
        spec = specs[voc.TRADE_ORDER[index % len(voc.TRADE_ORDER)]]
        for _attempt in range(20):
            name = rng.choice(spec.shop_names).format(
                surname=rng.choice(voc.SURNAMES),
                first=rng.choice(voc.FIRST_NAMES),
                adjective=rng.choice(voc.ADJECTIVES),
                place=rng.choice(voc.PLACES),
            )
            if name not in used:
                break
        else:
            name = f"{name} {index}"
        used.add(name)
        slug = f"{slugify(name)[:100]}-{seed}-{index:03d}"
        address = f"{rng.randint(1, 120)} {rng.choice(voc.STREETS)}"
        lat = Decimal(str(round(TOWN_CENTRE[0] + rng.uniform(-0.004, 0.004), 6)))
        lon = Decimal(str(round(TOWN_CENTRE[1] + rng.uniform(-0.006, 0.006), 6)))
        prep = rng.choice((30, 45, 60, 90, 120))
        yield index, spec, name, slug, address, lat, lon, prep, rng.random()


def _ensure_shops(seed: int, count: int, today: dt.date, report: TownSeedReport) -> list[Shop]:
    rows = list(_shop_rows(seed, count))
    existing = {s.slug: s for s in Shop.objects.filter(partner__code__in=[row[3] for row in rows])}
    shops: list[Shop] = []
    tz = timezone.get_current_timezone()
    for index, spec, name, slug, address, lat, lon, prep, roll in rows:
        shop = existing.get(slug)
        if shop is None:
            rng = random.Random(f"shop-{seed}-{index}")
            with transaction.atomic():
                partner = Partner.objects.create(name=name, code=slug)
                shop = Shop.objects.create(
                    partner=partner,
                    name=name,
                    slug=slug,
                    trade=spec.trade,
                    description=(
                        f"{name}, {spec.trade} du centre-ville de {TOWN_NAME} : "
                        "des produits choisis avec soin et des conseils de proximité."
                    ),
                    phone=phone_normalised(f"02 38 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"),
                    email=f"contact@{slug[:40]}.example",
                    line1=address,
                    postcode=TOWN_POSTCODE,
                    city=TOWN_NAME,
                    latitude=lat,
                    longitude=lon,
                    preparation_minutes=prep,
                    daily_order_cap=rng.choice((None, 20, 40, 80)),
                )
                OpeningPeriod.objects.bulk_create(
                    OpeningPeriod(shop=shop, weekday=d, opens=a, closes=b)
                    for d, a, b in _opening_periods(rng, spec)
                )
                if roll < 0.2:
                    start = dt.datetime.combine(today + dt.timedelta(days=14 + index % 20), dt.time(0, 0), tz)
                    Closure.objects.create(
                        shop=shop, starts_at=start, ends_at=start + dt.timedelta(days=7), reason="Congés annuels"
                    )
                elif roll < 0.35:
                    start = dt.datetime.combine(today + dt.timedelta(days=3 + index % 5), dt.time(14, 0), tz)
                    Closure.objects.create(
                        shop=shop, starts_at=start, ends_at=start + dt.timedelta(hours=5), reason="Inventaire"
                    )
            report.shops_created += 1
        shops.append(shop)
    return shops


def _product_rows(seed: int, count: int, shops: list[Shop]):
    """Yield (upc, title, subcategory slug, class slug, shop index, base price) per product."""
    rng = random.Random(f"products-{seed}")
    specs = {spec.trade: spec for spec in voc.TRADES}
    for n in range(count):
        shop_index = n % len(shops)
        spec = specs[shops[shop_index].trade]
        base, sub, price = rng.choice(spec.products)
        qualifier = rng.choice(spec.qualifiers)
        title = f"{base} {qualifier}".strip()
        class_slug = spec.class_overrides.get(sub, spec.product_class)
        yield f"HALLE{seed:03d}{n:07d}", title, sub, class_slug, shop_index, price


def _product_description(title: str) -> str:
    """A product's own text, the same whichever shop sells it: the page names the shop
    of the offer the shopper picked (« Proposé par … »), never the description."""
    return f"{title}, en vente chez les commerçants du centre-ville de {TOWN_NAME}."


def _descriptions_without_a_shop(prefix: str) -> None:
    """Towns seeded before: their descriptions named one shop even when two sold the product."""
    stale = list(Product.objects.filter(upc__startswith=prefix, description__contains=", proposé par ").only("pk", "title"))
    for product in stale:
        product.description = _product_description(product.title)
    Product.objects.bulk_update(stale, ["description"], batch_size=BATCH)


def _ensure_products(seed, count, shops, categories, classes, images, report) -> None:
    prefix = f"HALLE{seed:03d}"
    _descriptions_without_a_shop(prefix)
    existing = set(Product.objects.filter(upc__startswith=prefix).values_list("upc", flat=True))
    rng = random.Random(f"stock-{seed}")
    same_trade: dict[str, list[int]] = {}
    for i, shop in enumerate(shops):
        same_trade.setdefault(shop.trade, []).append(i)
    rows = list(_product_rows(seed, count, shops))
    # Draw every random number in row order, whether or not the row exists yet,
    # so that a partial earlier run does not change what the rest looks like.
    offers: dict[str, list[tuple[int, Decimal, int]]] = {}
    for upc, _title, _sub, _cls, shop_index, base in rows:
        first = (shop_index, _price(rng, base), _stock(rng))
        offers[upc] = [first]
        second_roll = rng.random()
        peers = [i for i in same_trade[shops[shop_index].trade] if i != shop_index]
        if second_roll < SECOND_OFFER_SHARE and peers:
            other = peers[int(second_roll * 10_000) % len(peers)]
            offers[upc].append((other, _price(rng, base), _stock(rng)))
    image_names = {}
    if images:
        for _top_name, _top_slug, children in voc.CATEGORIES:
            for name, slug in children:
                image_names[slug] = placeholder_image(slug=slug, label=name)

    new_rows = [row for row in rows if row[0] not in existing]
    for start in range(0, len(new_rows), BATCH):
        chunk = new_rows[start : start + BATCH]
        with transaction.atomic():
            products = Product.objects.bulk_create(
                Product(
                    upc=upc,
                    title=title,
                    slug=slugify(title)[:255] or "produit",
                    product_class=classes[cls],
                    description=_product_description(title),
                    is_public=True,
                )
                for upc, title, _sub, cls, shop_index, _base in chunk
            )
            if products and products[0].pk is None:  # SQLite before 3.35 gives no ids back
                ids = dict(Product.objects.filter(upc__in=[p.upc for p in products]).values_list("upc", "pk"))
                for product in products:
                    product.pk = ids[product.upc]
            by_upc = {p.upc: p for p in products}
            ProductCategory.objects.bulk_create(
                [ProductCategory(product=by_upc[upc], category=categories[sub]) for upc, _t, sub, *_ in chunk],
                ignore_conflicts=True,
            )
            records = []
            for upc, *_rest in chunk:
                for shop_index, price, stock in offers[upc]:
                    shop = shops[shop_index]
                    records.append(
                        StockRecord(
                            partner_id=shop.partner_id,
                            product=by_upc[upc],
                            partner_sku=f"S{shop_index:03d}-{upc[-7:]}",
                            price_currency="EUR",
                            price=price,
                            num_in_stock=stock,
                            num_allocated=0,
                            low_stock_threshold=5,
                        )
                    )
            StockRecord.objects.bulk_create(records, ignore_conflicts=True)
            if images:
                ProductImage.objects.bulk_create(
                    ProductImage(product=by_upc[upc], original=image_names[sub], caption=title, display_order=0)
                    for upc, title, sub, *_ in chunk
                )
                report.images_created += len(chunk)
        report.products_created += len(chunk)
        report.stockrecords_created += len(records)


def town_seed(
    *, shops: int, products: int, seed: int, images: bool = True, today: dt.date | None = None
) -> TownSeedReport:
    """Create the demo town ``seed`` with ``shops`` shops and ``products`` products."""
    if shops < 1 or products < 0:
        raise ValueError("Il faut au moins un commerce et un nombre de produits positif.")
    report = TownSeedReport()
    classes = _ensure_product_classes()
    categories = _ensure_categories()
    shop_list = _ensure_shops(seed, shops, today or timezone.localdate(), report)
    _ensure_products(seed, products, shop_list, categories, classes, images, report)
    attributes_seed(upc_prefix=f"HALLE{seed:03d}")
    logistics_seed(shops=shop_list, today=today or timezone.localdate())
    from marketplace.demo.delivery import delivery_seed

    delivery_seed(today=today or timezone.localdate(), centre=TOWN_CENTRE, postcode=TOWN_POSTCODE, town=TOWN_NAME)
    return report


def logistics_seed(*, shops: list[Shop], today: dt.date) -> None:
    """The town's collection points (idempotent): the town point, a locker bank, each shop's counter.

    Both shared points open Tuesday to Saturday, 10:00–19:00, in one-hour slots of
    8 orders; each counter has one-hour slots of 4 orders within its shop's
    opening hours; slots are generated for the 7 days from ``today``.
    """
    from logistics.models import (
        CollectionPoint,
        LockerCompartment,
        PointKind,
        PointOpeningPeriod,
        SlotTemplate,
    )
    from logistics.services.slots import slots_generate

    lat, lon = (Decimal(str(round(v, 6))) for v in TOWN_CENTRE)
    shared = []
    for kind, name, address in (
        (PointKind.TOWN_POINT, "Point retrait de la Halle", f"Place de la Halle, {TOWN_POSTCODE} {TOWN_NAME}"),
        (PointKind.LOCKER_BANK, "Consignes du Beffroi", f"Rue du Beffroi, {TOWN_POSTCODE} {TOWN_NAME}"),
    ):
        point, _created = CollectionPoint.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "address": address,
                "latitude": lat,
                "longitude": lon,
                "shelf_capacity": 60 if kind == PointKind.TOWN_POINT else 0,
            },
        )
        for weekday in range(1, 6):
            PointOpeningPeriod.objects.get_or_create(
                point=point, weekday=weekday, opens=dt.time(10), closes=dt.time(19)
            )
            for hour in range(10, 19):
                SlotTemplate.objects.get_or_create(
                    point=point,
                    weekday=weekday,
                    start=dt.time(hour),
                    defaults={"end": dt.time(hour + 1), "capacity": 8},
                )
        shared.append(point)
    lockers = shared[1]
    for number, (size, chilled) in enumerate(
        (("S", False), ("S", True), ("M", False), ("M", True), ("L", False), ("L", False)), start=1
    ):
        LockerCompartment.objects.get_or_create(
            point=lockers,
            code=f"B{number}",
            defaults={"size": size, "temperature": "chilled" if chilled else "ambient"},
        )
    counters = []
    for shop in shops:
        counter, _created = CollectionPoint.objects.get_or_create(
            kind=PointKind.SHOP_COUNTER,
            shop=shop,
            defaults={
                "name": f"Comptoir — {shop.name}",
                "address": shop.address,
                "latitude": shop.latitude,
                "longitude": shop.longitude,
            },
        )
        # One-hour counter slots of 4 orders inside the shop's opening hours (whole hours).
        for period in shop.opening_periods.all():
            hour = period.opens.hour + (1 if period.opens.minute else 0)
            while dt.time(hour) < period.closes and (hour + 1 < 24) and dt.time(hour + 1) <= period.closes:
                SlotTemplate.objects.get_or_create(
                    point=counter,
                    weekday=period.weekday,
                    start=dt.time(hour),
                    defaults={"end": dt.time(hour + 1), "capacity": 4},
                )
                hour += 1
        counters.append(counter)
    for point in [*shared, *counters]:
        slots_generate(point=point, start_date=today, days=7)

"""The town's open datasets, built from the shops, the collection points and the roll-ups.

No shopper's personal data is read: the activity dataset comes from the per-shop
daily roll-ups only, and each of its cells passes statistical secrecy
(``marketplace.analytics.secrecy``) before it is written.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from logistics.models import CollectionPoint, PointKind
from marketplace.analytics.calendar import today
from marketplace.analytics.models import DailyShopFact
from marketplace.analytics.opendata.formats import opening_hours_osm, street_key, street_of
from marketplace.analytics.secrecy import TOTAL, table_protect
from shops.models import Shop, ShopStatus, Trade

ALL_STREETS = "Toutes les rues"
ALL_TRADES = "Tous les métiers"
MEASURES = ("orders", "sales_cents", "multi")


def _f(name, type_, title, description, **extra):
    return {"name": name, "type": type_, "title": title, "description": description, **extra}


@dataclass
class Built:
    slug: str
    title: str
    description: str
    fields: list[dict]
    rows: list[dict]
    primary_key: list[str] = field(default_factory=list)
    geojson: dict | None = None
    cells_published: int = 0
    cells_suppressed: int = 0


SHOP_FIELDS = [
    _f("identifiant", "string", "Identifiant", "Identifiant stable du commerce sur la place de marché.",
       constraints={"required": True, "unique": True}),
    _f("nom", "string", "Nom", "Nom du commerce."),
    _f("metier", "string", "Métier", "Métier du commerce (boulangerie-pâtisserie, fromagerie…)."),
    _f("adresse", "string", "Adresse", "Numéro et voie."),
    _f("code_postal", "string", "Code postal", "Code postal."),
    _f("commune", "string", "Commune", "Commune."),
    _f("latitude", "number", "Latitude", "Latitude WGS 84 (degrés décimaux)."),
    _f("longitude", "number", "Longitude", "Longitude WGS 84 (degrés décimaux)."),
    _f("horaires", "string", "Horaires d'ouverture",
       "Horaires d'ouverture habituels dans la syntaxe opening_hours d'OpenStreetMap (vide : inconnus)."),
    _f("siret", "string", "SIRET", "Numéro SIRET de l'établissement quand il est connu (vide sinon)."),
    _f("retrait_en_boutique", "boolean", "Retrait en boutique", "Le commerce propose le retrait de commandes en ligne."),
    _f("livraison", "boolean", "Livraison", "Le commerce propose la livraison par la tournée locale."),
    _f("page", "string", "Page", "Adresse de la page du commerce.", format="uri"),
]


def _siret(shop) -> str:
    return getattr(shop, "siret", "") or ""


def _delivery(shop) -> bool:
    return bool(getattr(shop, "delivers", False))


def shops_dataset() -> Built:
    shops = list(
        Shop.objects.filter(status=ShopStatus.ACTIVE).prefetch_related("opening_periods", "collection_points")
        .order_by("name", "pk")
    )
    labels = dict(Trade.choices)
    rows, features = [], []
    site = settings.HALLE_SITE_URL.rstrip("/")
    for shop in shops:
        row = {
            "identifiant": shop.slug, "nom": shop.name, "metier": str(labels.get(shop.trade, shop.trade)),
            "adresse": shop.line1, "code_postal": shop.postcode, "commune": shop.city,
            "latitude": float(shop.latitude) if shop.latitude is not None else None,
            "longitude": float(shop.longitude) if shop.longitude is not None else None,
            "horaires": opening_hours_osm((p.weekday, p.opens, p.closes) for p in shop.opening_periods.all()),
            "siret": _siret(shop),
            "retrait_en_boutique": any(p.kind == PointKind.SHOP_COUNTER and p.is_active for p in shop.collection_points.all()),
            "livraison": _delivery(shop),
            "page": f"{site}{shop.get_absolute_url()}",
        }
        rows.append(row)
        if row["latitude"] is not None and row["longitude"] is not None:
            features.append({
                "type": "Feature", "id": shop.slug,
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
            })
    return Built(
        slug="commerces", title="Commerces du centre-ville",
        description="Les commerces du centre-ville qui vendent sur la place de marché : métier, adresse, "
                    "coordonnées, horaires (syntaxe OpenStreetMap), SIRET quand il est connu, services proposés.",
        fields=SHOP_FIELDS, rows=rows, primary_key=["identifiant"],
        geojson={"type": "FeatureCollection", "features": features},
    )


POINT_FIELDS = [
    _f("identifiant", "integer", "Identifiant", "Identifiant stable du point.", constraints={"required": True, "unique": True}),
    _f("nom", "string", "Nom", "Nom du point de retrait ou de la consigne."),
    _f("type", "string", "Type", "Point de retrait de la ville ou consigne automatique.",
       constraints={"enum": ["point de retrait", "consigne"]}),
    _f("adresse", "string", "Adresse", "Adresse."),
    _f("latitude", "number", "Latitude", "Latitude WGS 84 (degrés décimaux)."),
    _f("longitude", "number", "Longitude", "Longitude WGS 84 (degrés décimaux)."),
    _f("horaires", "string", "Horaires", "Horaires d'ouverture dans la syntaxe opening_hours d'OpenStreetMap."),
    _f("casiers", "integer", "Casiers", "Nombre de casiers en service (consignes)."),
]


def points_dataset() -> Built:
    points = CollectionPoint.objects.filter(
        is_active=True, kind__in=(PointKind.TOWN_POINT, PointKind.LOCKER_BANK)
    ).prefetch_related("opening_periods", "compartments").order_by("name", "pk")
    points = sorted(points, key=lambda p: p.kind != PointKind.TOWN_POINT)  # the town's point first
    rows = [{
        "identifiant": point.pk, "nom": point.name,
        "type": "consigne" if point.kind == PointKind.LOCKER_BANK else "point de retrait",
        "adresse": point.address,
        "latitude": float(point.latitude) if point.latitude is not None else None,
        "longitude": float(point.longitude) if point.longitude is not None else None,
        "horaires": opening_hours_osm((p.weekday, p.opens, p.closes) for p in point.opening_periods.all()),
        "casiers": sum(1 for c in point.compartments.all() if c.is_active),
    } for point in points]
    return Built(slug="points-de-retrait", title="Points de retrait et consignes",
                 description="Les points où retirer ses achats du centre-ville : point de retrait de la ville et "
                             "consignes automatiques, avec leurs horaires.",
                 fields=POINT_FIELDS, rows=rows, primary_key=["identifiant"])


ACTIVITY_FIELDS = [
    _f("semaine", "string", "Semaine", "Semaine ISO (AAAA-Wss), du lundi au dimanche.", constraints={"required": True}),
    _f("debut_semaine", "date", "Début de la semaine", "Le lundi de la semaine."),
    _f("rue", "string", "Rue", f"Rue des commerces, ou « {ALL_STREETS} » pour le total du métier.",
       constraints={"required": True}),
    _f("metier", "string", "Métier", f"Métier des commerces, ou « {ALL_TRADES} » pour le total de la rue.",
       constraints={"required": True}),
    _f("secret_statistique", "boolean", "Secret statistique",
       "Vrai : la case est masquée (moins de 3 commerces, un commerce au-delà de 85 % de la valeur, ou masquage "
       "secondaire pour qu'elle ne puisse pas être recalculée à partir des totaux)."),
    _f("commandes", "integer", "Commandes", "Parts de commandes reçues par ces commerces dans la semaine."),
    _f("ventes_ttc", "number", "Ventes TTC (€)",
       "Montant encaissé dans la semaine, toutes taxes comprises, avant remboursements."),
    _f("taux_multi_commerces", "number", "Taux multi-commerces (%)",
       "Part de ces commandes passées dans un panier de plusieurs commerces."),
]


def _weeks(last_complete: dt.date):
    """Monday → Sunday of each week with roll-ups, up to the last complete week."""
    first = DailyShopFact.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return []
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday + dt.timedelta(days=6) <= last_complete:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def activity_dataset(*, on: dt.date | None = None) -> Built:
    """Orders, sales and multi-shop rate by week × street × trade, each cell protected."""
    on = on or today()
    last_complete = on - dt.timedelta(days=on.weekday() + 1)  # last Sunday before ``on``
    weeks = _weeks(last_complete)
    shops = {shop.pk: shop for shop in Shop.objects.all()}
    streets = {}
    for shop in shops.values():
        streets.setdefault(street_key(street_of(shop.line1)), street_of(shop.line1))
    labels = dict(Trade.choices)
    contributions = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    if weeks:
        rows = DailyShopFact.objects.filter(day__gte=weeks[0], day__lte=weeks[-1] + dt.timedelta(days=6)).values_list(
            "day", "shop_id", "orders", "captured_cents", "multi_shop_orders")
        for day, shop_id, orders, captured, multi in rows:
            shop = shops[shop_id]
            cell = (street_key(street_of(shop.line1)), shop.trade)
            measures = contributions[day - dt.timedelta(days=day.weekday())][cell].setdefault(
                shop_id, {"orders": 0, "sales_cents": 0, "multi": 0})
            measures["orders"] += orders
            measures["sales_cents"] += captured
            measures["multi"] += multi
    # Every street × trade that has a shop exists (its shops may have sold nothing that week).
    existing = {(street_key(street_of(s.line1)), s.trade) for s in shops.values()}
    row_keys = sorted({street for street, _t in existing}, key=lambda k: streets[k])
    col_keys = sorted({trade for _s, trade in existing})
    out, published, suppressed = [], 0, 0
    for monday in weeks:
        cells = {cell: dict(contributions[monday].get(cell, {})) for cell in existing}
        table = table_protect(cells=cells, rows=row_keys, cols=col_keys, measures=("orders", "sales_cents"),
                              cost_measure="sales_cents")
        multi = _multi_totals(cells)
        iso = monday.isocalendar()
        for street, trade in table.cells:
            hidden = not table.is_published((street, trade))
            values = table.values[(street, trade)]
            published += not hidden
            suppressed += hidden
            out.append({
                "semaine": f"{iso.year}-W{iso.week:02d}", "debut_semaine": monday.isoformat(),
                "rue": ALL_STREETS if street == TOTAL else streets[street],
                "metier": ALL_TRADES if trade == TOTAL else str(labels.get(trade, trade)),
                "secret_statistique": hidden,
                "commandes": None if hidden else values["orders"],
                "ventes_ttc": None if hidden else float(Decimal(values["sales_cents"]) / 100),
                "taux_multi_commerces": None if hidden or not values["orders"] else float(
                    (Decimal(multi[(street, trade)]) * 100 / values["orders"]).quantize(Decimal("0.1"), ROUND_HALF_UP)),
            })
    return Built(
        slug="activite-hebdomadaire", title="Activité en ligne des commerces par semaine, rue et métier",
        description="Commandes, ventes encaissées et part des paniers multi-commerces, par semaine, rue et métier, "
                    "avec les totaux par rue, par métier et de la semaine. Une case n'est publiée que si elle couvre "
                    "au moins 3 commerces et qu'aucun ne fait plus de 85 % de sa valeur ; d'autres cases sont masquées "
                    "pour qu'une case masquée ne puisse pas être recalculée à partir des totaux.",
        fields=ACTIVITY_FIELDS, rows=out, primary_key=["semaine", "rue", "metier"],
        cells_published=published, cells_suppressed=suppressed,
    )


def _multi_totals(cells) -> dict:
    totals = defaultdict(int)
    for (street, trade), shops in cells.items():
        value = sum(m["multi"] for m in shops.values())
        for target in ((street, trade), (street, TOTAL), (TOTAL, trade), (TOTAL, TOTAL)):
            totals[target] += value
    return totals

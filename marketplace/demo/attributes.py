"""Product attributes of the demo town: a wine's region, a cheese's milk, a shoe's material.

Derived from each product's base title (no random draw, so seeding stays
deterministic), written once (idempotent), and searched: « vin de Loire » finds
the Sancerre, « fromage de brebis » the Roquefort, « chaussures en daim » the
suede shoes, through the attribute values in the search index (weight C).
"""
from __future__ import annotations

from marketplace.catalogue.models import (
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductClass,
)

# (class slug, attribute code, attribute name, {start of a product's title: value})
ATTRIBUTES = (
    ("boissons-alcoolisees", "region", "Région", {
        "Sancerre": "Vallée de la Loire",
        "Bordeaux": "Bordelais",
        "Champagne": "Champagne",
        "Côtes-du-Rhône": "Vallée du Rhône",
        "Cidre": "Normandie",
        "Calvados": "Normandie",
        "Cognac": "Charente",
        "Bière": "Hauts-de-France",
    }),
    ("alimentaire", "lait", "Lait", {
        "Comté": "Lait de vache",
        "Camembert": "Lait de vache",
        "Crème fraîche": "Lait de vache",
        "Beurre": "Lait de vache",
        "Tomme": "Lait de vache",
        "Chèvre": "Lait de chèvre",
        "Roquefort": "Lait de brebis",
        "Yaourt": "Lait de vache",
        "Saint-Nectaire": "Lait de vache",
        "Brie": "Lait de vache",
    }),
    ("non-alimentaire", "matiere", "Matière", {
        "Chaussures de randonnée": "Cuir et Gore-Tex",
        "Baskets": "Cuir",
        "Bottines": "Daim",
        "Escarpins": "Cuir verni",
        "Sandales": "Cuir tressé",
        "Chaussons": "Feutre de laine",
        "Mocassins": "Daim",
        "Pull": "Laine mérinos",
        "Chemise": "Lin",
        "Écharpe": "Cachemire",
    }),
)


def attributes_seed(*, upc_prefix: str) -> int:
    """Give the products whose UPC starts with ``upc_prefix`` their attributes; how many values were added."""
    added = 0
    for class_slug, code, name, values in ATTRIBUTES:
        product_class = ProductClass.objects.filter(slug=class_slug).first()
        if product_class is None:
            continue
        attribute, _created = ProductAttribute.objects.get_or_create(
            product_class=product_class, code=code, defaults={"name": name, "type": ProductAttribute.TEXT}
        )
        done = set(ProductAttributeValue.objects.filter(attribute=attribute).values_list("product_id", flat=True))
        products = Product.objects.filter(upc__startswith=upc_prefix, product_class=product_class)
        rows = []
        for product_id, title in products.exclude(pk__in=done).values_list("pk", "title"):
            value = next((v for start, v in values.items() if title.startswith(start)), None)
            if value is not None:
                rows.append(ProductAttributeValue(product_id=product_id, attribute=attribute, value_text=value))
        ProductAttributeValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        added += len(rows)
    return added

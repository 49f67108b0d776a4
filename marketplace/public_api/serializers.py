"""The shapes of the public API's answers: what the OpenAPI schema documents and what every
answer is written through (the selectors give plain dicts; these fix their fields)."""
from __future__ import annotations

from rest_framework import serializers


class PublicGeoSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class PublicHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = lundi … 6 = dimanche")
    day = serializers.CharField(help_text="Le jour en français (« lundi »).")
    opens = serializers.CharField(help_text="HH:MM, heure de la ville (Europe/Paris).")
    closes = serializers.CharField(help_text="HH:MM, heure de la ville (Europe/Paris).")


class PublicClosureSerializer(serializers.Serializer):
    starts_at = serializers.CharField(help_text="Début (ISO 8601).")
    ends_at = serializers.CharField(help_text="Fin (ISO 8601).")
    reason = serializers.CharField(allow_blank=True)


class PublicAddressSerializer(serializers.Serializer):
    street = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()


class PublicServicesSerializer(serializers.Serializer):
    pickup_in_shop = serializers.BooleanField(help_text="Retrait au comptoir du commerce.")
    pickup_points = serializers.ListField(child=serializers.IntegerField(),
                                          help_text="Les points de retrait partagés (id) où déposer la commande.")
    delivery = serializers.BooleanField(help_text="Livraison à domicile (pas encore proposée).")


class PublicShopSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    trade = serializers.CharField()
    trade_label = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    address = PublicAddressSerializer()
    geo = PublicGeoSerializer(allow_null=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    url = serializers.CharField()
    selling = serializers.BooleanField(help_text="Faux pendant les congés du commerce : ses offres disparaissent.")
    open_now = serializers.BooleanField()
    preparation_minutes = serializers.IntegerField()
    hours = PublicHoursSerializer(many=True)
    closures = PublicClosureSerializer(many=True, help_text="Fermetures exceptionnelles en cours et à venir.")
    services = PublicServicesSerializer()


class PublicPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="town_point ou locker_bank")
    kind_label = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    geo = PublicGeoSerializer(allow_null=True)
    hours = PublicHoursSerializer(many=True)
    closures = PublicClosureSerializer(many=True)


class PublicCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    url = serializers.CharField()


class PublicOfferSerializer(serializers.Serializer):
    shop = serializers.CharField(help_text="Le slug du commerce.")
    shop_name = serializers.CharField()
    sku = serializers.CharField(allow_null=True, allow_blank=True)
    price = serializers.CharField(help_text="Prix TTC, deux décimales.")
    currency = serializers.CharField()
    availability = serializers.CharField(help_text="in_stock ou out_of_stock (jamais de quantité).")
    url = serializers.CharField(help_text="La page du produit avec cette offre choisie.")


class PublicProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField()
    image = serializers.CharField(allow_null=True)
    categories = serializers.ListField(child=serializers.IntegerField())
    offers = PublicOfferSerializer(many=True, help_text="Une offre par commerce qui le vend, la moins chère d'abord.")


def page_serializer(name: str, item: type[serializers.Serializer], **extra) -> type[serializers.Serializer]:
    """A page of ``item``s (``count``, ``page``, ``pages``, ``next``, ``previous``, ``results``)."""
    fields = {
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": item(many=True),
        **extra,
    }
    return type(name, (serializers.Serializer,), fields)


ShopPageSerializer = page_serializer("PublicShopPage", PublicShopSerializer)
PointPageSerializer = page_serializer("PublicPointPage", PublicPointSerializer)
CategoryPageSerializer = page_serializer("PublicCategoryPage", PublicCategorySerializer)
ProductPageSerializer = page_serializer("PublicProductPage", PublicProductSerializer)
SearchPageSerializer = page_serializer(
    "PublicSearchPage", PublicProductSerializer,
    query=serializers.CharField(),
    shops=PublicShopSerializer(many=True, help_text="Les commerces que la recherche nomme (première page seulement)."),
)

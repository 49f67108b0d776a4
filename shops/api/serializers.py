"""What the API reads and writes. Input checks give one precise French message per field."""
from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shops.importers.csv_stock import MAX_STOCK, price_parse

PRICE_EXAMPLE = "exemple : \"3.50\""


def price_checked(value) -> Decimal:
    """A price incl. VAT given as a JSON string ("3.50", "3,50") or number (3.5); at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise serializers.ValidationError(f"Format de prix invalide ({PRICE_EXAMPLE}).", code="bad_price")
    text = str(value).strip()
    if text.startswith("-"):
        raise serializers.ValidationError("Le prix ne peut pas être négatif.", code="negative_price")
    price = price_parse(text[:30])
    if price is None:
        raise serializers.ValidationError(f"Format de prix invalide : « {text[:30]} » ({PRICE_EXAMPLE}).", code="bad_price")
    return price


def stock_checked(value) -> int:
    """A stock level: a JSON integer between 0 and 1,000,000 (no string, no decimal, no boolean)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise serializers.ValidationError("Le stock doit être un nombre entier (exemple : 12).", code="bad_stock")
    if value < 0:
        raise serializers.ValidationError("Le stock ne peut pas être négatif.", code="negative_stock")
    if value > MAX_STOCK:
        raise serializers.ValidationError(f"Stock trop grand ({MAX_STOCK} au maximum).", code="stock_too_large")
    return value


@extend_schema_field({"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$", "example": "3.50"})
class PriceField(serializers.Field):
    def to_internal_value(self, data) -> Decimal:
        return price_checked(data)

    def to_representation(self, value) -> str | None:
        return None if value is None else f"{value:.2f}"


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_STOCK, "example": 12})
class StockField(serializers.Field):
    def to_internal_value(self, data) -> int:
        return stock_checked(data)

    def to_representation(self, value):
        return value


class OfferSerializer(serializers.Serializer):
    """One offer of the token's shop."""

    sku = serializers.CharField(source="partner_sku", help_text="Votre référence (SKU).")
    title = serializers.CharField(source="product.title", help_text="Nom du produit.")
    price = serializers.SerializerMethodField(help_text='Prix TTC en euros, chaîne à deux décimales : "3.50".')
    stock = serializers.IntegerField(source="num_in_stock", help_text="Quantité en stock.")
    reserved = serializers.SerializerMethodField(help_text="Quantité réservée par des commandes en cours.")
    available = serializers.SerializerMethodField(help_text="stock − réservé.")
    archived = serializers.SerializerMethodField(help_text="Produit archivé (plus en vente).")
    updated_at = serializers.DateTimeField(source="date_updated")

    def get_price(self, offer) -> str | None:
        return None if offer.price is None else f"{offer.price:.2f}"

    def get_reserved(self, offer) -> int:
        return offer.num_allocated or 0

    def get_available(self, offer) -> int:
        return (offer.num_in_stock or 0) - (offer.num_allocated or 0)

    def get_archived(self, offer) -> bool:
        return not offer.product.is_public


class OfferChangeSerializer(serializers.Serializer):
    """The change of one offer: its price, its stock, or both."""

    price = PriceField(required=False, help_text='Nouveau prix TTC : "3.50" (ou 3.5).')
    stock = StockField(required=False, help_text="Nouvelle quantité en stock (entier ≥ 0).")


class BatchItemSerializer(OfferChangeSerializer):
    sku = serializers.CharField(max_length=128, help_text="Votre référence (SKU).")


class BatchSerializer(serializers.Serializer):
    items = BatchItemSerializer(many=True, help_text="Jusqu'à 500 changements, appliqués tous ou aucun.")


class BatchResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    items = OfferSerializer(many=True)


class ShopInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    status = serializers.CharField()
    selling = serializers.BooleanField()
    token_name = serializers.CharField()


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(required=False, help_text="Position de l'élément dans « items » (lot).")
    sku = serializers.CharField(required=False)
    field = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Message en français.")
    code = serializers.CharField(help_text="Code stable, ex. « validation_error », « idempotency_conflict ».")
    errors = ItemErrorSerializer(many=True, required=False)

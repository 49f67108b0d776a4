"""The till/POS API: read and change a shop's prices and stock by SKU.

Every view acts for the shop of the caller's token only; another shop's SKU
is "unknown" (404), exactly like a SKU nobody has. Writes go through the same
services as the back-office (row locks, the database constraints) and, with an
``Idempotency-Key``, answer once (see ``shops.api.idempotency``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.partner.models import StockRecord
from shops import selectors, stock
from shops.api import serializers
from shops.api.auth import HasShopToken, ShopTokenAuthentication, TokenRateThrottle
from shops.api.errors import ApiError
from shops.api.idempotency import HEADER, idempotent_call

FIELD_NAMES = {"num_in_stock": "stock", "price": "price", "__all__": ""}
NOTHING_CHANGED = "Rien n'a été modifié"

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Une clé unique par changement (un UUID) : renvoyer la même requête avec la même clé "
    "rejoue la première réponse sans rien modifier une seconde fois ; la même clé avec une autre requête → 422.",
)
ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="Requête refusée : rien n'a été modifié."),
    401: OpenApiResponse(serializers.ErrorSerializer, description="Jeton manquant, inconnu ou révoqué."),
    403: OpenApiResponse(serializers.ErrorSerializer, description="Commerce suspendu (lecture seule)."),
    404: OpenApiResponse(serializers.ErrorSerializer, description="SKU inconnu pour ce commerce."),
    413: OpenApiResponse(serializers.ErrorSerializer, description="Corps de requête trop volumineux."),
    422: OpenApiResponse(serializers.ErrorSerializer, description="Clé d'idempotence déjà utilisée pour une autre requête."),
    429: OpenApiResponse(serializers.ErrorSerializer, description="Trop de requêtes : voir l'en-tête Retry-After."),
}


class ShopApiView(APIView):
    authentication_classes = [ShopTokenAuthentication]
    permission_classes = [HasShopToken]
    throttle_classes = [TokenRateThrottle]

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.HALLE_API_MAX_BODY_BYTES:
            raise ApiError(
                f"Corps de requête trop volumineux ({settings.HALLE_API_MAX_BODY_BYTES // 1024} Ko au maximum) : "
                "découpez le lot.", code="body_too_large", status_code=413,
            )
        super().initial(request, *args, **kwargs)

    @property
    def shop(self):
        return self.request.auth.shop


def _field_errors(serializer_errors: dict, extra: dict | None = None) -> list[dict]:
    errors = []
    for field, messages in serializer_errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            errors.append({**(extra or {}), "field": "" if field == "non_field_errors" else field, "message": str(message)})
    return errors


def change_parse(data, *, with_sku: bool) -> tuple[dict, list[dict]]:
    """Check one change (``{"price", "stock"}``, plus ``"sku"`` in a batch); (values, errors)."""
    allowed = ("sku", "price", "stock") if with_sku else ("price", "stock")
    if not isinstance(data, dict):
        return {}, [{"field": "", "message": "Chaque changement doit être un objet JSON, par exemple {\"stock\": 12}."}]
    errors = [
        {"field": str(name)[:50], "message": f"Champ inconnu : « {str(name)[:50]} » (champs acceptés : {', '.join(allowed)})."}
        for name in data if name not in allowed
    ]
    serializer = (serializers.BatchItemSerializer if with_sku else serializers.OfferChangeSerializer)(data=data)
    values = serializer.validated_data if serializer.is_valid() else {}
    errors += _field_errors(serializer.errors)
    if not errors and "price" not in values and "stock" not in values:
        errors.append({"field": "", "message": "Ni prix ni stock : rien à changer."})
    return dict(values), errors


def _service_errors(error: ValidationError, extra: dict | None = None) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {**(extra or {}), "field": FIELD_NAMES.get(field, field), "message": message}
            for field, messages in error.message_dict.items() for message in messages
        ]
    return [{**(extra or {}), "field": "", "message": message} for message in error.messages]


class ShopInfoView(ShopApiView):
    @extend_schema(
        summary="Le commerce du jeton",
        description="Vérifie un jeton : le commerce auquel il donne accès et s'il vend en ce moment.",
        responses={200: serializers.ShopInfoSerializer, 401: ERRORS[401], 429: ERRORS[429]},
    )
    def get(self, request):
        shop = self.shop
        return Response({
            "name": shop.name, "slug": shop.slug, "status": shop.status,
            "selling": shop.is_selling, "token_name": request.auth.name,
        })


class OffersPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "Page inexistante."


class OfferListView(ShopApiView):
    @extend_schema(
        summary="Offres du commerce",
        description="Toutes les offres du commerce (archivées comprises), par SKU, 100 par page.",
        parameters=[
            OpenApiParameter("sku", OpenApiTypes.STR, description="Ne garder que les SKU qui contiennent ce texte."),
            OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: serializers.OfferSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404], 429: ERRORS[429]},
    )
    def get(self, request):
        offers = selectors.shop_offers_exported(shop=self.shop)
        sku = request.query_params.get("sku", "").strip()[:128]
        if sku:
            offers = offers.filter(partner_sku__icontains=sku)
        paginator = OffersPagination()
        page = paginator.paginate_queryset(offers, request, view=self)
        return paginator.get_paginated_response(serializers.OfferSerializer(page, many=True).data)


class OfferDetailView(ShopApiView):
    def _offer(self, sku: str) -> StockRecord:
        try:
            return selectors.shop_offer_by_sku(shop=self.shop, sku=sku)
        except StockRecord.DoesNotExist:
            raise ApiError(f"SKU inconnu pour ce commerce : « {sku[:128]} ».", code="unknown_sku", status_code=404) from None

    @extend_schema(
        summary="Une offre",
        responses={200: serializers.OfferSerializer, 401: ERRORS[401], 404: ERRORS[404], 429: ERRORS[429]},
    )
    def get(self, request, sku: str):
        return Response(serializers.OfferSerializer(self._offer(sku)).data)

    @extend_schema(
        summary="Changer le prix et/ou le stock d'une offre",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=serializers.OfferChangeSerializer,
        responses={200: serializers.OfferSerializer, **ERRORS},
        examples=[OpenApiExample("Prix et stock", value={"price": "3.50", "stock": 12}, request_only=True)],
    )
    def patch(self, request, sku: str):
        return idempotent_call(request=request, operation=lambda: self._change(request, sku))

    def _change(self, request, sku: str) -> Response:
        offer = self._offer(sku)
        values, errors = change_parse(request.data, with_sku=False)
        if errors:
            raise ApiError(f"{NOTHING_CHANGED} : corrigez la requête.", code="validation_error", errors=errors)
        try:
            stock.offer_update(offer=offer, price=values.get("price"), num_in_stock=values.get("stock"))
        except ValidationError as error:
            raise ApiError(f"{NOTHING_CHANGED}.", code="validation_error", errors=_service_errors(error)) from None
        return Response(serializers.OfferSerializer(self._offer(sku)).data)


class StockUpdatesView(ShopApiView):
    @extend_schema(
        summary="Changer prix et stock de plusieurs offres (tout ou rien)",
        description="Jusqu'à 500 changements par requête. Si un seul est refusé, aucun n'est appliqué et "
        "chaque élément refusé est décrit dans « errors » (position, SKU, champ, message).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=serializers.BatchSerializer,
        responses={200: serializers.BatchResultSerializer, **ERRORS},
        examples=[OpenApiExample("Deux offres", request_only=True, value={
            "items": [{"sku": "BAG-01", "stock": 40}, {"sku": "CRO-02", "price": "1.20", "stock": 25}],
        })],
    )
    def post(self, request):
        return idempotent_call(request=request, operation=lambda: self._apply(request))

    def _apply(self, request) -> Response:
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ApiError('Le corps doit être un objet {"items": [...]}.', code="validation_error")
        items, limit = data["items"], settings.HALLE_API_BATCH_MAX
        if not items:
            raise ApiError("Aucun changement dans « items ».", code="validation_error")
        if len(items) > limit:
            raise ApiError(
                f"Trop de changements : {len(items)} reçus, {limit} au maximum par requête. Rien n'a été modifié.",
                code="batch_too_large",
            )
        errors: list[dict] = []
        parsed: list[tuple[int, str, dict]] = []
        first_index: dict[str, int] = {}
        for index, item in enumerate(items):
            sku = str(item.get("sku", ""))[:128] if isinstance(item, dict) else ""
            values, item_errors = change_parse(item, with_sku=True)
            errors += [{"index": index, "sku": sku, **e} for e in item_errors]
            if item_errors:
                continue
            sku = values["sku"]
            if sku in first_index:
                errors.append({"index": index, "sku": sku, "field": "sku",
                               "message": f"SKU en double : déjà à l'élément {first_index[sku]}."})
                continue
            first_index[sku] = index
            parsed.append((index, sku, values))
        offers = selectors.shop_offers_by_skus(shop=self.shop, skus=[sku for _, sku, _ in parsed])
        for index, sku, _ in parsed:
            if sku not in offers:
                errors.append({"index": index, "sku": sku, "field": "sku", "message": f"SKU inconnu pour ce commerce : « {sku} »."})
        if errors:
            errors.sort(key=lambda e: e["index"])
            refused = len({e["index"] for e in errors})
            count = ngettext("%(count)d changement refusé", "%(count)d changements refusés", refused) % {"count": refused}
            raise ApiError(f"{NOTHING_CHANGED} : {count}.", code="validation_error", errors=errors)
        changes = {offers[sku].pk: (values.get("price"), values.get("stock")) for _, sku, values in parsed}
        try:
            stock.offers_bulk_update(shop=self.shop, changes=changes)
        except ValidationError as error:
            raise ApiError(f"{NOTHING_CHANGED}.", code="validation_error", errors=self._by_item(error, parsed, offers)) from None
        fresh = selectors.shop_offers_by_skus(shop=self.shop, skus=[sku for _, sku, _ in parsed])
        return Response({
            "updated": len(changes),
            "items": serializers.OfferSerializer([fresh[sku] for _, sku, _ in parsed], many=True).data,
        })

    @staticmethod
    def _by_item(error: ValidationError, parsed, offers) -> list[dict]:
        if not hasattr(error, "error_dict"):
            return _service_errors(error)
        where = {str(offers[sku].pk): (index, sku) for index, sku, _ in parsed}
        errors = []
        for key, messages in error.message_dict.items():
            index, sku = where.get(key, (None, ""))
            for message in messages:
                field = "price" if "prix" in message.lower() else "stock" if "stock" in message.lower() else ""
                errors.append({"index": index, "sku": sku, "field": field, "message": message})
        return sorted(errors, key=lambda e: (e["index"] is None, e["index"] or 0))


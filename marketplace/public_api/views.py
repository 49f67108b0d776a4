"""The public catalogue API: read-only JSON, paginated, filterable, with ETags, a rate
limit per client and CORS for GET.

Every endpoint checks its parameters first (``params``: a French 400 naming each bad
one), reads through the storefront's selectors (so it lists what shoppers may see, in a
number of queries that does not grow with the page) and answers with a strong ETag
derived from the answer itself: a client whose copy is current gets a 304.
"""
from __future__ import annotations

import abc
import math
from typing import ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics.models import PointKind
from marketplace.catalogue.models import Category
from marketplace.core.etags import etag_of, first_seen, not_modified, validators_set
from marketplace.public_api import selectors
from marketplace.public_api import serializers as s
from marketplace.public_api.auth import (
    HEADER,
    ApiKeyAuthentication,
    PublicRateThrottle,
    PublicThrottled,
)
from marketplace.public_api.params import params_check
from marketplace.search import selectors as search
from marketplace.search.forms import ProductFilters, Sort
from shops.api.errors import ApiError
from shops.api.serializers import ErrorSerializer
from shops.models import Shop, ShopStatus, Trade
from shops.selectors import shops_listed

CACHE_CONTROL = "public, no-cache"
CORS_EXPOSED = "ETag, Last-Modified, Retry-After"

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Paramètre inconnu ou invalide : « errors » les nomme un par un."),
    401: OpenApiResponse(ErrorSerializer, description="Clé X-Api-Key inconnue."),
    404: OpenApiResponse(ErrorSerializer, description="Introuvable (ou page au-delà de la dernière)."),
    429: OpenApiResponse(ErrorSerializer, description="Trop de requêtes pour ce client : voir l'en-tête Retry-After."),
}
NOT_MODIFIED = {304: OpenApiResponse(description="Votre copie est à jour (If-None-Match / If-Modified-Since).")}
PAGING = [
    OpenApiParameter("page", OpenApiTypes.INT, description="Page, à partir de 1 (10 000 au plus)."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Éléments par page, 1 à 100 (20 par défaut)."),
]
KEY = OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                       description="Clé d'un partenaire (facultative) : débit plus élevé.")
SORTS = list(Sort.LABELS)
PRODUCT_FILTERS = {
    "q": "query", "category": "int", "shop": "slug", "in_stock": "bool", "price_min": "price", "price_max": "price",
    "sort": ("choice", SORTS),
}
PRODUCT_PARAMETERS = [
    OpenApiParameter("category", OpenApiTypes.INT, description="Un rayon (id) : ses sous-rayons compris."),
    OpenApiParameter("shop", OpenApiTypes.STR, description="Un commerce (slug)."),
    OpenApiParameter("in_stock", OpenApiTypes.BOOL, description="1 : seulement ce qui est en stock quelque part."),
    OpenApiParameter("price_min", OpenApiTypes.NUMBER, description="Prix TTC minimum (euros)."),
    OpenApiParameter("price_max", OpenApiTypes.NUMBER, description="Prix TTC maximum (euros)."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=SORTS, description="Ordre ; « pertinence » avec q seulement."),
]
QUERY = OpenApiParameter("q", OpenApiTypes.STR, description="Des mots (200 caractères au plus, sans opérateurs).")


class PublicApiView(APIView, abc.ABC):
    authentication_classes = (ApiKeyAuthentication,)
    permission_classes = ()
    throttle_classes = (PublicRateThrottle,)
    http_method_names = ("get", "head", "options")
    accepted: ClassVar[dict] = {}
    required: tuple[str, ...] = ()

    def throttled(self, request, wait):
        raise PublicThrottled(wait)

    def options(self, request, *args, **kwargs):
        """The CORS preflight: GET and HEAD from any origin."""
        return Response(status=204)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = CORS_EXPOSED
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = f"{HEADER}, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def get(self, request, **kwargs):
        params = params_check(request.query_params, accepted=self.accepted, required=self.required)
        data = self.payload(request, params, **kwargs)
        etag = etag_of(request.path, data)
        last_modified = first_seen(etag)
        unchanged = not_modified(request, etag=etag, last_modified=last_modified, cache_control=CACHE_CONTROL)
        if unchanged is not None:
            return unchanged
        return validators_set(Response(data), etag=etag, last_modified=last_modified, cache_control=CACHE_CONTROL)

    @abc.abstractmethod
    def payload(self, request, params: dict, **kwargs) -> dict:
        """The JSON body of a GET with checked ``params``: what each endpoint answers."""


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(request, items, params: dict, present) -> dict:
    """One page of ``items`` (a queryset or a list), each through ``present`` (a list → list)."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    size, page = params["page_size"], params["page"]
    pages = max(1, math.ceil(count / size))
    if page > pages:
        noun = "page" if pages == 1 else "pages"
        raise ApiError(f"Page {page} inexistante : il y a {pages} {noun} de {size} éléments.", code="page_not_found",
                       status_code=404)
    chosen = list(items[(page - 1) * size: page * size])
    return {
        "count": count, "page": page, "page_size": size, "pages": pages,
        "next": _page_url(request, page + 1) if page < pages else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "results": present(chosen),
    }


def _not_found(what: str) -> ApiError:
    return ApiError(what, code="not_found", status_code=404)


class ShopListView(PublicApiView):
    accepted: ClassVar[dict] = {"trade": ("choice", list(Trade.values)), "open_now": "bool"}

    @extend_schema(
        summary="Commerces", operation_id="public_shops_list", tags=["catalogue public"],
        description="Les commerces en ligne (jamais un commerce suspendu), avec horaires, fermetures à venir et services.",
        parameters=[OpenApiParameter("trade", OpenApiTypes.STR, enum=list(Trade.values)),
                    OpenApiParameter("open_now", OpenApiTypes.BOOL), *PAGING, KEY],
        responses={200: s.ShopPageSerializer, **NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, **kwargs):
        at = selectors.now()
        shops = list(shops_listed(at=at, trade=params.get("trade")))
        present = selectors.shops_present(shops, at=at)
        if "open_now" in params:
            present = [shop for shop in present if shop["open_now"] == params["open_now"]]
        return s.ShopPageSerializer(page_of(request, present, params, lambda page: page)).data


class ShopDetailView(PublicApiView):
    @extend_schema(summary="Un commerce", operation_id="public_shop_get", tags=["catalogue public"], parameters=[KEY],
                   responses={200: s.PublicShopSerializer, **NOT_MODIFIED, **ERRORS})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, slug: str = ""):
        at = selectors.now()
        shop = shops_listed(at=at).filter(slug=slug).first()
        if shop is None:
            raise _not_found(f"Aucun commerce en ligne à l'adresse « {slug[:100]} ».")
        return s.PublicShopSerializer(selectors.shops_present([shop], at=at)[0]).data


class PointListView(PublicApiView):
    accepted: ClassVar[dict] = {"kind": ("choice", [PointKind.TOWN_POINT, PointKind.LOCKER_BANK])}

    @extend_schema(
        summary="Points de retrait", operation_id="public_collection_points_list", tags=["catalogue public"],
        description="Le point de retrait de la ville et les consignes, avec horaires et fermetures à venir "
        "(le comptoir d'un commerce est dans ses services).",
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=[PointKind.TOWN_POINT, PointKind.LOCKER_BANK]),
                    *PAGING, KEY],
        responses={200: s.PointPageSerializer, **NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, **kwargs):
        points = selectors.points_listed(at=selectors.now(), kind=params.get("kind"))
        page = page_of(request, points, params, lambda chosen: [selectors.point_present(p) for p in chosen])
        return s.PointPageSerializer(page).data


class CategoryListView(PublicApiView):
    @extend_schema(summary="Rayons", operation_id="public_categories_list", tags=["catalogue public"],
                   description="Les rayons publics, dans l'ordre de l'arbre.",
                   parameters=[*PAGING, KEY], responses={200: s.CategoryPageSerializer, **NOT_MODIFIED, **ERRORS})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, **kwargs):
        tree = selectors.category_tree()
        page = page_of(request, selectors.categories_listed(), params,
                       lambda chosen: selectors.categories_present(chosen, tree=tree))
        return s.CategoryPageSerializer(page).data


def _filters(params: dict) -> ProductFilters:
    category = None
    if "category" in params:
        category = Category.objects.filter(pk=params["category"], is_public=True, ancestors_are_public=True).first()
        if category is None:
            raise ApiError("Paramètres refusés (1) : corrigez la requête.", code="invalid_parameters",
                           errors=[{"field": "category", "message": f"Rayon inconnu : {params['category']}."}])
    if "shop" in params and not Shop.objects.filter(slug=params["shop"], status=ShopStatus.ACTIVE).exists():
        raise ApiError("Paramètres refusés (1) : corrigez la requête.", code="invalid_parameters",
                       errors=[{"field": "shop", "message": f"Aucun commerce en ligne « {params['shop']} »."}])
    sort = params.get("sort") or (Sort.RELEVANCE if params.get("q") else Sort.NEWEST)
    if sort == Sort.RELEVANCE and not params.get("q"):
        raise ApiError("Paramètres refusés (1) : corrigez la requête.", code="invalid_parameters",
                       errors=[{"field": "sort", "message": "« pertinence » demande une recherche (q)."}])
    return ProductFilters(sort=sort, shop=params.get("shop"), category=category, price_min=params.get("price_min"),
                          price_max=params.get("price_max"), in_stock=bool(params.get("in_stock")))


def _products(params: dict):
    """(products matching ``params``, sorted; the parsed query or None)."""
    filters = _filters(params)
    plan = search.search_plan(query=params["q"]) if params.get("q") else None
    products = search.products_search(query=plan) if plan is not None else search.products_listed()
    products = search.products_filter(products=products, filters=filters)
    return selectors.products_prefetch(search.products_sort(products=products, filters=filters)), plan


def _present_products(chosen) -> list[dict]:
    return [selectors.product_present(product) for product in chosen]


class ProductListView(PublicApiView):
    accepted = PRODUCT_FILTERS

    @extend_schema(
        summary="Produits", operation_id="public_products_list", tags=["catalogue public"],
        description="Les produits publiés qu'un commerce en ligne vend, chacun avec l'offre de chaque commerce "
        "(prix TTC, disponibilité, jamais de quantité).",
        parameters=[QUERY, *PRODUCT_PARAMETERS, *PAGING, KEY],
        responses={200: s.ProductPageSerializer, **NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, **kwargs):
        products, _ = _products(params)
        return s.ProductPageSerializer(page_of(request, products, params, _present_products)).data


class ProductDetailView(PublicApiView):
    @extend_schema(summary="Un produit", operation_id="public_product_get", tags=["catalogue public"], parameters=[KEY],
                   responses={200: s.PublicProductSerializer, **NOT_MODIFIED, **ERRORS})
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, pk: int = 0):
        product = selectors.products_prefetch(search.products_listed()).filter(pk=pk).first()
        if product is None:
            raise _not_found(f"Aucun produit en vente sous le numéro {pk}.")
        return s.PublicProductSerializer(selectors.product_present(product)).data


class SearchView(PublicApiView):
    accepted = PRODUCT_FILTERS
    required = ("q",)

    @extend_schema(
        summary="Recherche", operation_id="public_search", tags=["catalogue public"],
        description="La recherche de la vitrine (titres, rayons, commerces et métiers, synonymes de la ville) : "
        "les commerces que la requête nomme, puis les produits, les plus pertinents d'abord.",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description=QUERY.description),
                    *PRODUCT_PARAMETERS, *PAGING, KEY],
        responses={200: s.SearchPageSerializer, **NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def payload(self, request, params, **kwargs):
        products, plan = _products(params)
        page = page_of(request, products, params, _present_products)
        shops = []
        if page["page"] == 1:
            at = selectors.now()
            hits = [hit.shop.pk for hit in search.shops_search(query=plan, products=products)[: search.SHOPS_SHOWN]]
            by_pk = {shop.pk: shop for shop in shops_listed(at=at).filter(pk__in=hits)} if hits else {}
            shops = selectors.shops_present([by_pk[pk] for pk in hits if pk in by_pk], at=at)
        return s.SearchPageSerializer({**page, "query": params["q"], "shops": shops}).data

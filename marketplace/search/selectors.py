"""Read-side queries for product listings and search: a fixed number of queries per page.

Search matches a stored document per product: its title, its categories with
their ancestors, the name and trade of every selling shop, its class and
attribute values, its description, weighted in that order (A, B, B, C, D).
PostgreSQL holds it in ``catalogue_product.search_vector`` (``french_unaccent``:
accents folded, French stems), written by triggers (catalogue migration 0034,
search migration 0003); the SQLite demo in the FTS5 table of
``marketplace.search.sqlite_index``, stemmed the same way in Python. Both are
queried from one parsed query (``marketplace.search.query``) widened by the
town's synonyms, so the demo finds what production finds.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import translation

from marketplace.catalogue.models import Category, Option, Product, ProductCategory, ProductImage
from marketplace.partner.models import StockRecord
from marketplace.search.forms import ProductFilters, Sort
from marketplace.search.models import SearchSynonym, synonym_expressions
from marketplace.search.query import (
    ParsedQuery,
    Phrase,
    fts_match,
    query_parse,
    terms_match,
    tsquery,
)
from marketplace.search.sqlite_index import BM25_WEIGHTS
from marketplace.search.text import terms, words
from shops.models import Shop, ShopStatus, Trade

SHOPS_SHOWN = 4


@dataclass(frozen=True)
class ShopFacet:
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class CategoryFacet:
    pk: int
    name: str
    count: int


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _selling_offers() -> QuerySet[StockRecord]:
    return StockRecord.objects.filter(
        partner__shop__status=ShopStatus.ACTIVE, partner__shop__vacation_mode=False
    )


def _matching_offers(*, filters: ProductFilters, shop: bool = True) -> QuerySet[StockRecord]:
    """Selling offers within the offer-level filters (shop, price incl. VAT, stock)."""
    offers = _selling_offers()
    if shop and filters.shop:
        offers = offers.filter(partner__shop__slug=filters.shop)
    if filters.price_min is not None:
        offers = offers.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        offers = offers.filter(price__lte=filters.price_max)
    if filters.in_stock:
        offers = offers.filter(
            Q(product__product_class__track_stock=False)
            | Q(num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)))
        )
    return offers


def _products_public() -> QuerySet[Product]:
    offers = _selling_offers().filter(product=OuterRef("pk"))
    return Product.objects.filter(is_public=True, structure__in=["standalone", "parent"]).filter(
        Exists(offers)
    )


def products_listed(*, partner_id: int | None = None) -> QuerySet[Product]:
    """Public products that at least one selling shop offers, ready to render in a list.

    Everything the product card needs (class for VAT, offers with their shop,
    images, whether it has options: Oscar's ``has_options`` reads these two
    annotations) is fetched in a constant number of queries, whatever the page size.
    With ``partner_id`` only that shop's offers are fetched, so that on a shop's
    page the cards show and add that shop's offer, not a cheaper one elsewhere.
    """
    offers = StockRecord.objects.select_related("partner__shop")
    if partner_id is not None:
        offers = offers.filter(partner_id=partner_id)
    return (
        _products_public()
        .select_related("product_class")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("stockrecords", queryset=offers),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        )
        .order_by("-date_created", "-pk")
    )


def _in_category(category: Category) -> Exists:
    """The product is in ``category`` or one of its descendants (treebeard paths)."""
    return Exists(
        ProductCategory.objects.filter(
            product=OuterRef("pk"), category__path__startswith=category.path
        )
    )


def products_in_category(*, category: Category) -> QuerySet[Product]:
    """Listed products of ``category`` and its descendants, without duplicates."""
    return products_listed().filter(_in_category(category))


def search_plan(*, query: str) -> ParsedQuery:
    """``query`` parsed, each one-word clause widened by the town's synonyms (one query, if any)."""
    parsed = query_parse(query)
    stems = {c.single_term for c in parsed.clauses} - {None}
    if not stems:
        return parsed
    synonyms: dict[str, list[Phrase]] = {}
    rows = SearchSynonym.objects.filter(key__in=stems).order_by().values_list("key", "searches_for")
    for key, searches_for in rows:
        phrases = [Phrase(tuple(words(e)), ordered=False) for e in synonym_expressions(searches_for)]
        synonyms[key] = [p for p in phrases if p.terms]
    return parsed.with_synonyms(synonyms)


def _plan(query: str | ParsedQuery) -> ParsedQuery:
    return query if isinstance(query, ParsedQuery) else search_plan(query=query)


class _Bm25(Func):
    """``-bm25(search_product_fts, weights…)``: FTS5's relevance, higher is better like ``ts_rank``."""

    output_field = FloatField()
    template = "-%(function)s(%(expressions)s)"
    function = "bm25"


def products_search(*, query: str | ParsedQuery) -> QuerySet[Product]:
    """Listed products matching ``query``, annotated with ``rank`` (higher is better).

    A title match ranks above a category or shop match, above a class or
    attribute match, above a description match.
    """
    plan = _plan(query)
    products = products_listed()
    if not plan:
        return products.none()
    if _on_postgresql():
        search_query = tsquery(plan)
        return products.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    weights = [Value(w) for w in BM25_WEIGHTS]
    return products.filter(search_document__fts__matches=fts_match(plan)).annotate(
        rank=_Bm25(F("search_document__fts"), *weights)
    )


@lru_cache(maxsize=4096)
def _shop_terms(name: str, trade: str) -> tuple[str, ...]:
    with translation.override("fr"):
        label = str(Trade(trade).label) if trade in Trade.values else trade
    return tuple(terms(f"{name} {label}"))


@dataclass(frozen=True)
class ShopHit:
    shop: Shop
    complete: bool  # the shop alone answers the whole query (« boulangerie », « Maison Muller »)


def shops_selling() -> list[Shop]:
    """The shops that sell now, with what shop matching reads (one query)."""
    selling = Shop.objects.filter(status=ShopStatus.ACTIVE, vacation_mode=False).order_by("name", "pk")
    return list(selling.only("pk", "partner_id", "name", "slug", "trade"))


def shops_search(
    *, query: str | ParsedQuery, products: QuerySet[Product], shops: list[Shop] | None = None
) -> list[ShopHit]:
    """The selling shops a query names, by name or trade, best first (two queries at most).

    A shop whose name and trade match every clause is named by the query
    (« boulangerie », « vins et terroirs »). When none is, a shop matching only
    some clauses is shown if it sells one of ``products`` (the query's results),
    so that « croissants muller » shows Maison Muller but « guimauves maison »
    not every « Maison … ». Computed in Python over the town's shops (a few
    hundred at most; ``shops`` from ``shops_selling``, read once per page), the
    same on both databases.
    """
    plan = _plan(query)
    if not plan:
        return []
    complete, partial = [], []
    wanted = len(plan.clauses)
    for shop in shops_selling() if shops is None else shops:
        matched, excluded = terms_match(plan, list(_shop_terms(shop.name, shop.trade)))
        if excluded or not matched:
            continue
        (complete if matched == wanted else partial).append((matched, shop))
    if complete:
        partial = []  # « fromages de Louise » names Louise's shop: not every « Fromages de … »
    if partial:
        sellers = set(
            StockRecord.objects.filter(
                partner_id__in=[shop.partner_id for _, shop in partial],
                product__in=products.order_by().values("pk"),
            ).values_list("partner_id", flat=True).distinct()
        )
        partial = [(m, shop) for m, shop in partial if shop.partner_id in sellers]
    ranked = [ShopHit(shop, True) for _, shop in complete]
    ranked += [ShopHit(shop, False) for _, shop in sorted(partial, key=lambda row: -row[0])]
    return ranked


def products_filter(
    *, products: QuerySet[Product], filters: ProductFilters, ignore=()
) -> QuerySet[Product]:
    """``products`` narrowed by ``filters``; ``ignore`` leaves out "shop" or "category" (facets)."""
    if filters.category is not None and "category" not in ignore:
        products = products.filter(_in_category(filters.category))
    shop = "shop" not in ignore
    priced = filters.price_min is not None or filters.price_max is not None
    if (shop and filters.shop) or priced or filters.in_stock:
        offers = _matching_offers(filters=filters, shop=shop).filter(product=OuterRef("pk"))
        products = products.filter(Exists(offers))
    return products


def products_sort(*, products: QuerySet[Product], filters: ProductFilters) -> QuerySet[Product]:
    """``products`` in the order ``filters.sort`` asks for; ties broken by newest, then id."""
    sort = filters.sort
    if sort == Sort.RELEVANCE and "rank" in products.query.annotations:
        return products.order_by("-rank", "-date_created", "-pk")
    if sort in (Sort.PRICE_ASC, Sort.PRICE_DESC):
        # The cheapest offer within the filters (the shop picked, the price range…).
        cheapest = (
            _matching_offers(filters=filters)
            .filter(product=OuterRef("pk"), price__isnull=False)
            .order_by("price")
            .values("price")[:1]
        )
        products = products.annotate(offer_price=Subquery(cheapest))
        price = F("offer_price").asc(nulls_last=True)
        if sort == Sort.PRICE_DESC:
            price = F("offer_price").desc(nulls_last=True)
        return products.order_by(price, "title", "pk")
    if sort == Sort.NAME:
        if _on_postgresql():
            title = Lower(Unaccent(F("title")))
        else:
            title = Func(F("title"), function="HALLE_FOLD")
        return products.order_by(title, "pk")
    return products.order_by("-date_created", "-pk")


def shop_facets_count(*, products: QuerySet[Product], filters: ProductFilters) -> list[ShopFacet]:
    """Per selling shop, how many of ``products`` it offers within the filters (one query).

    The shop filter itself is left out, so that the other shops stay on offer.
    """
    candidates = products_filter(products=products, filters=filters, ignore={"shop"})
    rows = (
        _matching_offers(filters=filters, shop=False)
        .filter(product__in=candidates.values("pk"))
        .values("partner__shop__slug", "partner__shop__name")
        .annotate(count=Count("product", distinct=True))
        .order_by("partner__shop__name", "partner__shop__slug")
    )
    return [ShopFacet(r["partner__shop__slug"], r["partner__shop__name"], r["count"]) for r in rows]


def category_facets_count(
    *, products: QuerySet[Product], filters: ProductFilters, within: Category | None = None
) -> list[CategoryFacet]:
    """Per public category, how many of ``products`` it holds within the filters (one query).

    ``within`` keeps to the sub-categories of a category page. The category
    filter itself is left out, so that the other categories stay on offer.
    """
    candidates = products_filter(products=products, filters=filters, ignore={"category"})
    links = ProductCategory.objects.filter(
        product__in=candidates.values("pk"), category__is_public=True
    )
    if within is not None:
        links = links.filter(category__path__startswith=within.path).exclude(category=within)
    rows = (
        links.values("category_id", "category__name")
        .annotate(count=Count("product", distinct=True))
        .order_by("category__name", "category_id")
    )
    return [CategoryFacet(r["category_id"], r["category__name"], r["count"]) for r in rows]

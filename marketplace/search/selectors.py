"""Read-side queries for product listings: a fixed number of queries per page.

Search runs on PostgreSQL full text: ``catalogue_product.search_vector`` is
written by a trigger (catalogue migration 0034) with the ``french_unaccent``
configuration, so "chaussure" finds "Chaussures" and "creme" finds "Crème".
On SQLite (the one-command demo only) every word of the query must appear in
the accent-folded title, a crude but honest fallback.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
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

from marketplace.catalogue.models import Category, Option, Product, ProductCategory, ProductImage
from marketplace.partner.models import StockRecord
from marketplace.search.forms import ProductFilters, Sort
from marketplace.search.text import text_fold, word_singular
from shops.models import ShopStatus

SEARCH_CONFIG = "french_unaccent"
SUGGESTION_CANDIDATES = 5
SUGGESTION_MIN_RATIO = 0.5
_WORDS = re.compile(r"\w+")


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


def _search_words(query: str) -> list[str]:
    return [word_singular(word) for word in _WORDS.findall(text_fold(query) or "")]


def products_search(*, query: str) -> QuerySet[Product]:
    """Listed products matching ``query``, annotated with ``rank`` (higher is better).

    PostgreSQL: ``websearch_to_tsquery`` (never a syntax error: quotes make a
    phrase, "-mot" excludes, "ou" alternatives) against the stored vector,
    ranked with title matches above description matches.
    """
    products = products_listed()
    if not query.strip():
        return products.none()
    if _on_postgresql():
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return products.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    words = _search_words(query)
    if not words:
        return products.none()
    products = products.annotate(folded_title=Func(F("title"), function="HALLE_FOLD"))
    for word in words:
        products = products.filter(folded_title__contains=word)
    return products.annotate(rank=Value(0.0, output_field=FloatField()))


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


def query_suggest(*, query: str) -> str | None:
    """A corrected query built from the closest product titles, or ``None`` (one query).

    Meant for searches that found nothing: "chocolta" -> "chocolat". Titles
    are matched by trigram word similarity (``pg_trgm``, GIN-indexed); each
    word of the query that no close title contains is replaced by the most
    similar word of those titles. PostgreSQL only.
    """
    if not _on_postgresql() or not query.strip():
        return None
    titles = list(
        _products_public()
        .filter(title__trigram_word_similar=query)
        .annotate(similarity=TrigramWordSimilarity(query, "title"))
        .order_by("-similarity", "title")
        .values_list("title", flat=True)[:SUGGESTION_CANDIDATES]
    )
    if not titles:
        return None
    vocabulary: dict[str, str] = {}
    for title in titles:
        for word in _WORDS.findall(title):
            vocabulary.setdefault(text_fold(word), word.lower())
    corrected = []
    for word in _WORDS.findall(query):
        folded = text_fold(word)
        if folded in vocabulary or folded.isdigit():
            corrected.append(word)
            continue
        ratios = {
            candidate: difflib.SequenceMatcher(None, folded, candidate).ratio()
            for candidate in vocabulary
        }
        best = max(ratios, key=lambda candidate: (ratios[candidate], candidate))
        ratio = ratios[best]
        corrected.append(vocabulary[best] if ratio >= SUGGESTION_MIN_RATIO else word)
    suggestion = " ".join(corrected)
    if not suggestion or text_fold(suggestion) == text_fold(" ".join(_WORDS.findall(query))):
        return None
    return suggestion


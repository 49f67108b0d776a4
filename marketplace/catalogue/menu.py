"""The category menu of every page and the category trails of product pages, cached.

Both change only when categories (or a product's categories) do: they live in the
``categories`` cache namespace, bumped by the signals connected in ``apps.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from marketplace.core.cache import namespace_bump, namespace_version

NAMESPACE = "categories"
TTL = 24 * 3600


@dataclass(frozen=True)
class MenuEntry:
    name: str
    url: str


def categories_changed(**kwargs) -> None:
    namespace_bump(NAMESPACE)


def _cached(key: str, compute):
    key = f"{NAMESPACE}:{namespace_version(NAMESPACE)}:{get_language()}:{key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value


def category_menu() -> list[MenuEntry]:
    """The top-level categories shown in the menu, in tree order."""
    from marketplace.catalogue.models import Category

    def compute():
        roots = Category.objects.get_root_nodes().filter(is_public=True, exclude_from_menu=False)
        return [MenuEntry(c.name, c.get_absolute_url()) for c in roots]

    return _cached("menu", compute)


def product_category_trail(*, product_id: int) -> list[MenuEntry]:
    """The first category of a product and its ancestors, from the top (a breadcrumb)."""
    from marketplace.catalogue.models import Category

    def compute():
        category = (
            Category.objects.filter(product=product_id, is_public=True, ancestors_are_public=True)
            .order_by("path")
            .first()
        )
        if category is None:
            return []
        trail = [*Category.objects.get_ancestors(category), category]
        return [MenuEntry(c.name, c.get_absolute_url()) for c in trail]

    return _cached(f"trail:{product_id}", compute)

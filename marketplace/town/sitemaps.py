"""What search engines are told to crawl: ``robots.txt`` and ``sitemap.xml``.

The sitemap is an index of sections (the town's pages, shops, categories, products),
each split in pages of ``LIMIT`` addresses, so that a town of 100,000 products stays
within the 50,000 addresses a sitemap file may hold. Addresses start with
``HALLE_SITE_URL`` (the canonical site, whatever host a request came through). Only what
shoppers see is listed: active shops, public categories, products a selling shop offers.
``robots.txt`` keeps crawlers out of the personal and staff spaces and search results.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape

from marketplace.catalogue.models import Category
from marketplace.search.selectors import products_listed
from shops.models import Shop, ShopStatus

LIMIT = 10_000
PRIVATE = ("/espace-commercant/", "/gestion/", "/dashboard/", "/admin/", "/basket/", "/checkout/", "/accounts/",
           "/retrait/", "/paiement/", "/search/", "/api/", "/livraison/")


class _SiteSitemap(Sitemap):
    limit = LIMIT

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.HALLE_SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.HALLE_SITE_URL).scheme or "https"


class TownSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "shops:list", "town:agenda", "town:page"]

    def location(self, item):
        return reverse(item)


class ShopSitemap(_SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Shop.objects.filter(status=ShopStatus.ACTIVE).only("slug", "updated_at").order_by("pk")

    def lastmod(self, shop):
        return shop.updated_at


class CategorySitemap(_SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.filter(is_public=True, ancestors_are_public=True).order_by("path")


class ProductSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self):
        # Only what the URL and the date need: no prefetch of offers or pictures.
        return products_listed().select_related(None).prefetch_related(None).only("pk", "slug", "date_updated").order_by("pk")

    def lastmod(self, product):
        return product.date_updated


SITEMAPS = {"ville": TownSitemap, "commerces": ShopSitemap, "rayons": CategorySitemap, "produits": ProductSitemap}


def sitemap_index(request):
    """``/sitemap.xml``: one entry per page of each section."""
    base = settings.HALLE_SITE_URL.rstrip("/")
    entries = []
    for section, cls in SITEMAPS.items():
        pages = cls().paginator.num_pages
        path = reverse("sitemap-section", kwargs={"section": section})
        entries += [f"{base}{path}" + (f"?p={page}" if page > 1 else "") for page in range(1, pages + 1)]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in entries]
    body.append("</sitemapindex>")
    return HttpResponse("\n".join(body) + "\n", content_type="application/xml; charset=utf-8")


def robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in PRIVATE], "",
             f"Sitemap: {settings.HALLE_SITE_URL.rstrip('/')}{reverse('sitemap-index')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

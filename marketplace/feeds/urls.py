"""Stable addresses of the feeds, outside the language prefix (crawlers keep them for years)."""
from django.urls import path

from marketplace.feeds import views

app_name = "feeds"
urlpatterns = [
    path("produits.tsv", views.town_products, name="products"),
    path("inventaire-local.tsv", views.town_local_inventory, name="local-inventory"),
    path("commerces/<slug:slug>/produits.tsv", views.shop_products, name="shop-products"),
    path("commerces/<slug:slug>/inventaire-local.tsv", views.shop_local_inventory, name="shop-local-inventory"),
]

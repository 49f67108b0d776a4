from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from shops.api import schema, views
from shops.api.errors import not_found

app_name = "api"
urlpatterns = [
    path("shop/", views.ShopInfoView.as_view(), name="shop"),
    path("offers/", views.OfferListView.as_view(), name="offers"),
    path("offers/<path:sku>/", views.OfferDetailView.as_view(), name="offer"),
    path("stock-updates/", views.StockUpdatesView.as_view(), name="stock-updates"),
    path("schema/", SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    path("docs/", schema.api_docs, name="docs"),
    re_path(r"^", not_found, name="not-found"),
]

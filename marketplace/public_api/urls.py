"""/api/v1/public/: the town's catalogue, read-only (documented in /api/v1/schema/)."""
from django.urls import path, re_path

from marketplace.public_api import schema, views  # noqa: F401 (schema registers the key scheme)
from shops.api.errors import not_found

app_name = "public-api"
urlpatterns = [
    path("shops/", views.ShopListView.as_view(), name="shops"),
    path("shops/<slug:slug>/", views.ShopDetailView.as_view(), name="shop"),
    path("collection-points/", views.PointListView.as_view(), name="collection-points"),
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("products/", views.ProductListView.as_view(), name="products"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product"),
    path("search/", views.SearchView.as_view(), name="search"),
    re_path(r"^", not_found, name="not-found"),
]

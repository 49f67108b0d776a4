"""``/coursier/`` (namespace ``courier``): the courier's rounds on a phone."""
from django.urls import path

from logistics.delivery import courier_views as views

app_name = "courier"
urlpatterns = [
    path("", views.home, name="home"),
    path("tournees/<int:round_pk>/", views.round_detail, name="round"),
    path("tournees/<int:round_pk>/partir/", views.round_start_view, name="round-start"),
    path("arrets/<int:stop_pk>/livre/", views.stop_deliver_view, name="stop-deliver"),
    path("arrets/<int:stop_pk>/echec/", views.stop_fail_view, name="stop-fail"),
    path("arrets/<int:stop_pk>/collecte/", views.stop_pickup_view, name="stop-pickup"),
]

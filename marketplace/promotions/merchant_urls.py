"""``/espace-commercant/promotions/``: a shop's campaigns and own offers (namespace
``backoffice-promotions``); every view works on ``request.shop`` only."""
from django.urls import path

from . import merchant_views as views

app_name = "backoffice-promotions"
urlpatterns = [
    path("", views.promotions, name="promotions"),
    path("campagnes/<int:campaign_pk>/participation/", views.participation, name="participation"),
    path("offres/nouvelle/", views.offer_create, name="offer-create"),
    path("offres/<int:campaign_pk>/arreter/", views.offer_stop, name="offer-stop"),
]

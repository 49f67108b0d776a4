"""``/gestion/livraison/`` (namespace ``delivery-manager``), in the manager's menu (``apps.ready``)."""
from django.urls import path

from logistics.delivery import manager_views as views

app_name = "delivery-manager"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("zones/nouvelle/", views.zone_edit, name="zone-create"),
    path("zones/<int:zone_pk>/", views.zone_edit, name="zone"),
    path("modeles/", views.templates, name="templates"),
    path("modeles/<int:template_pk>/", views.templates, name="template"),
    path("coursiers/", views.couriers, name="couriers"),
    path("vehicules/", views.vehicles, name="vehicles"),
    path("vehicules/<int:vehicle_pk>/", views.vehicles, name="vehicle"),
    path("fenetres/<int:window_pk>/", views.window, name="window"),
]

"""``/gestion/``: the town manager's space (namespace ``gestion``). Every view is a
``manager_view``; the money and late-pickup pages live in their apps under
``/gestion/argent/`` and ``/gestion/retards/`` and share the menu (``navigation``)."""
from django.urls import path

from marketplace.town.views import applications, content, home, logistics, newsletter, plans, shops

app_name = "gestion"
urlpatterns = [
    path("", home.home, name="home"),
    path("commerces/", shops.shops, name="shops"),
    path("commerces/nouveau/", shops.shop_create, name="shop-create"),
    path("commerces/<int:shop_pk>/", shops.shop, name="shop"),
    path("commerces/<int:shop_pk>/statut/", shops.shop_status, name="shop-status"),
    path("commerces/<int:shop_pk>/journal/", shops.shop_audit, name="shop-audit"),
    path("commerces/<int:shop_pk>/agir/", shops.assist_start, name="assist-start"),
    path("mode-assiste/quitter/", shops.assist_stop, name="assist-stop"),
    path("candidatures/", applications.applications, name="applications"),
    path("candidatures/<int:application_pk>/", applications.application, name="application"),
    path("contenu/", content.content, name="content"),
    path("contenu/evenements/nouveau/", content.event_create, name="event-create"),
    path("contenu/evenements/<int:event_pk>/", content.event_edit, name="event-edit"),
    path("contenu/a-la-une/", content.featured, name="featured"),
    path("contenu/page-du-centre-ville/", content.town_page, name="town-page"),
    path("contenu/lettres/", newsletter.newsletters, name="newsletters"),
    path("contenu/lettres/<int:newsletter_pk>/", newsletter.newsletter, name="newsletter"),
    path("logistique/", logistics.logistics, name="logistics"),
    path("logistique/points/nouveau/", logistics.point_create, name="point-create"),
    path("logistique/points/<int:point_pk>/", logistics.point, name="point"),
    path("logistique/points/<int:point_pk>/creneaux/", logistics.point_templates, name="point-templates"),
    path("logistique/points/<int:point_pk>/fermetures/", logistics.point_closures, name="point-closures"),
    path("logistique/points/<int:point_pk>/casiers/", logistics.point_compartments, name="point-compartments"),
    path("commissions/", plans.plans, name="plans"),
    path("commissions/plans/<int:plan_pk>/", plans.plan_edit, name="plan-edit"),
    path("commissions/changements/<int:change_pk>/annuler/", plans.plan_change_cancel, name="plan-change-cancel"),
]

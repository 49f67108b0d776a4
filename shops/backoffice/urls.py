from django.urls import include, path

from logistics.delivery.backoffice import delivery_picking_list

from shops.backoffice import (
    figures,
    money,
    orders,
    views,
    views_api_tokens,
    views_assist,
    views_catalogue,
    views_imports,
    views_staff,
)

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("commerce/", views.shop_choose, name="shop-choose"),
    path("profil/", views.profile, name="profile"),
    path("horaires/", views.hours, name="hours"),
    path("fermetures/", views.closures, name="closures"),
    path("fermetures/<int:closure_pk>/supprimer/", views.closure_delete, name="closure-delete"),
    path("photos/", views.photos, name="photos"),
    path("photos/<int:photo_pk>/supprimer/", views.photo_delete, name="photo-delete"),
    path("catalogue/", views_catalogue.offers, name="offers"),
    path("catalogue/stock-bas/", views_catalogue.low_stock, name="low-stock"),
    path("catalogue/nouveau/", views_catalogue.product_create, name="product-create"),
    path("catalogue/export.csv", views_imports.export, name="export"),
    path("catalogue/<int:offer_pk>/", views_catalogue.offer_edit, name="offer-edit"),
    path("catalogue/<int:offer_pk>/archiver/", views_catalogue.offer_archive, name="offer-archive"),
    path("catalogue/<int:offer_pk>/photos/", views_catalogue.product_image_add, name="product-image-add"),
    path("catalogue/<int:offer_pk>/photos/<int:image_pk>/supprimer/", views_catalogue.product_image_delete, name="product-image-delete"),
    path("catalogue/<int:offer_pk>/photos/<int:image_pk>/deplacer/", views_catalogue.product_image_move, name="product-image-move"),
    path("imports/", views_imports.imports, name="imports"),
    path("imports/<int:import_pk>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:import_pk>/appliquer/", views_imports.import_apply, name="import-apply"),
    path("equipe/", views_staff.team, name="team"),
    path("equipe/<int:staff_user_pk>/retirer/", views_staff.team_member_remove, name="team-member-remove"),
    path("equipe/invitations/<int:invitation_pk>/annuler/", views_staff.invitation_cancel, name="invitation-cancel"),
    path("aide-centre-ville/", views_assist.assist, name="assist"),
    path("caisse-api/", views_api_tokens.api_tokens, name="api-tokens"),
    path("caisse-api/<int:token_pk>/revoquer/", views_api_tokens.api_token_revoke, name="api-token-revoke"),
    # Open to anyone holding a valid link (not staff yet): its own namespace.
    path("invitation/", include(([
        path("<str:token>/", views_staff.invitation_accept, name="accept"),
    ], "shop-invitation"))),
    path("paiements/", money.payments, name="payments"),
    path("paiements/ouvrir/", money.payments_onboard, name="payments-onboard"),
    path("paiements/retour/", money.payments_return, name="payments-return"),
    path("argent/", money.money, name="money"),
    path("argent/export.csv", money.money_export, name="money-export"),
    path("chiffres/", figures.figures, name="figures"),
    path("commandes/", orders.orders, name="orders"),
    path("commandes/historique/", orders.orders_history, name="orders-history"),
    path("commandes/<int:shop_order_pk>/", orders.order_detail, name="order-detail"),
    path("commandes/<int:shop_order_pk>/etape/", orders.order_step, name="order-step"),
    path("commandes/<int:shop_order_pk>/indisponibles/", orders.order_unavailable, name="order-unavailable"),
    path("commandes/creneau/<int:slot_pk>/", orders.picking_list, name="picking-list"),
    path("commandes/livraison/<int:window_pk>/", delivery_picking_list, name="delivery-picking-list"),
]

"""Our corrections of Oscar's account pages, at Oscar's own addresses (included before Oscar's)."""
from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from oscar.apps.customer.alerts.views import ProductAlertCancelView, ProductAlertConfirmView
from oscar.apps.customer.views import AddressChangeStatusView
from oscar.apps.customer.wishlists.views import WishListAddProduct

from marketplace.accounts import views
from marketplace.accounts.views import post_only

urlpatterns = [
    path("accounts/login/", views.AccountAuthView.as_view()),
    path("accounts/register/", views.AccountRegistrationView.as_view()),
    path("accounts/logout/", views.LogoutView.as_view()),
    # Oscar's views that wrote on a GET: POST only (a GET shows the button).
    re_path(r"^accounts/addresses/(?P<pk>\d+)/(?P<action>default_for_(billing|shipping))/$", login_required(post_only(
        AddressChangeStatusView.as_view(), title="Adresse par défaut", button="Utiliser cette adresse par défaut"))),
    path("accounts/alerts/confirm/<str:key>/", post_only(
        ProductAlertConfirmView.as_view(), title="Alerte de disponibilité", button="Confirmer mon alerte")),
    path("accounts/alerts/cancel/key/<str:key>/", post_only(
        ProductAlertCancelView.as_view(), title="Alerte de disponibilité", button="Annuler mon alerte")),
    path("accounts/alerts/cancel/<int:pk>/", login_required(post_only(
        ProductAlertCancelView.as_view(), title="Alerte de disponibilité", button="Annuler mon alerte"))),
    path("accounts/wishlists/add/<int:product_pk>/", login_required(post_only(
        WishListAddProduct.as_view(), title="Liste d'envies", button="Ajouter à ma liste d'envies"))),
    path("accounts/wishlists/<str:key>/add/<int:product_pk>/", login_required(post_only(
        WishListAddProduct.as_view(), title="Liste d'envies", button="Ajouter à cette liste d'envies"))),
    path("accounts/wishlists/<str:key>/lines/<int:line_pk>/move-to/<str:to_key>/", login_required(post_only(
        views.WishListMoveProductToAnotherWishList.as_view(), title="Liste d'envies",
        button="Déplacer vers l'autre liste d'envies"))),
]

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from marketplace.core import views as core_views
from marketplace.order.views import AccountOrderLineView, AccountOrderListView
from marketplace.town import sitemaps as town_sitemaps
from marketplace.town.home import HomeView, after_login

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", core_views.healthz, name="healthz"),
    path("stripe/", include("marketplace.payments.webhook_urls")),
    path("api/v1/public/", include("marketplace.public_api.urls")),
    path("api/v1/", include("shops.api.urls")),
    path("flux/", include("marketplace.feeds.urls")),
    path("robots.txt", town_sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", town_sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", sitemap_views.sitemap, {"sitemaps": town_sitemaps.SITEMAPS}, name="sitemap-section"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", core_views.favicon),
    re_path(r"^fr/(?P<rest>.*)$", core_views.french_prefix_dropped),
]
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("connexion/suite/", after_login, name="after-login"),
    path("commerces/", include("shops.urls")),
    path("espace-commercant/", include("shops.backoffice.urls")),
    path("gestion/", include("marketplace.town.urls")),
    path("gestion/argent/", include("marketplace.payments.manager_urls")),
    path("gestion/promotions/", include("marketplace.promotions.manager_urls")),
    path("espace-commercant/promotions/", include("marketplace.promotions.merchant_urls")),
    path("", include("marketplace.promotions.ambassador_urls")),
    path("gestion/retards/", include("logistics.pickup.manager_urls")),
    path("gestion/livraison/", include("logistics.delivery.manager_urls")),
    path("coursier/", include("logistics.delivery.courier_urls")),
    path("gestion/statistiques/frequentation/", include("marketplace.analytics.urls_footfall")),
    path("gestion/statistiques/", include("marketplace.analytics.urls")),
    path("donnees-ouvertes/", include("marketplace.analytics.opendata.urls")),
    path("paiement/", include("marketplace.payments.urls")),
    path("retrait/", include("logistics.pickup.urls")),
    path("retrait/", include("logistics.delivery.shopper_urls")),
    path("", include("marketplace.town.public_urls")),
    # Oscar's account order list at its own address, with what each order costs now.
    path("accounts/orders/", login_required(AccountOrderListView.as_view()), name="account-order-list"),
    # Oscar's sign-up (500 under django-axes) and GET sign-out, corrected at the same addresses.
    path("", include("marketplace.accounts.urls")),
    path("accounts/orders/<str:order_number>/<int:line_id>/", login_required(AccountOrderLineView.as_view()),
         name="account-order-line"),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)
# Failures shown in French without the request context (which may be what failed).
handler400 = "marketplace.core.views.bad_request"
handler500 = "marketplace.core.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

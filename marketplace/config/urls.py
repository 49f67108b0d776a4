from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from marketplace.core import views as core_views
from marketplace.town.home import HomeView
from marketplace.order.views import AccountOrderListView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", core_views.healthz, name="healthz"),
    path("stripe/", include("marketplace.payments.webhook_urls")),
    path("api/v1/", include("shops.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("commerces/", include("shops.urls")),
    path("espace-commercant/", include("shops.backoffice.urls")),
    path("gestion/argent/", include("marketplace.payments.manager_urls")),
    path("gestion/retards/", include("logistics.pickup.manager_urls")),
    path("paiement/", include("marketplace.payments.urls")),
    path("retrait/", include("logistics.pickup.urls")),
    # Oscar's account order list at its own address, with what each order costs now.
    path("accounts/orders/", login_required(AccountOrderListView.as_view()), name="account-order-list"),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

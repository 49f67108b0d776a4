"""The site's URLs plus one that fails, to see the real 500 handler answer (error page tests)."""
from django.urls import path

from marketplace.config.urls import *
from marketplace.config.urls import urlpatterns as site_urlpatterns


def _boom(request):
    raise RuntimeError("panne simulée : DATABASE_PASSWORD=secret")


urlpatterns = [path("panne-simulee/", _boom), *site_urlpatterns]

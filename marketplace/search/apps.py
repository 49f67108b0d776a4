from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


class SearchConfig(OscarConfig):
    label = "search"
    name = "marketplace.search"
    verbose_name = _("Recherche")
    namespace = "search"

    def ready(self):
        from marketplace.search.views import SearchView

        self.search_view = SearchView

    def get_urls(self):
        return self.post_process_urls([path("", self.search_view.as_view(), name="search")])

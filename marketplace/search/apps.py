from django.db.backends.signals import connection_created
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


def register_sqlite_functions(sender, connection, **kwargs):
    """SQLite (demo only) has no ``unaccent``: give it ``HALLE_FOLD`` for accent-blind search."""
    if connection.vendor == "sqlite":
        from marketplace.search.text import text_fold

        connection.connection.create_function("HALLE_FOLD", 1, text_fold, deterministic=True)


class SearchConfig(OscarConfig):
    label = "search"
    name = "marketplace.search"
    verbose_name = _("Recherche")
    namespace = "search"

    def ready(self):
        from marketplace.search.views import SearchView

        self.search_view = SearchView
        connection_created.connect(register_sqlite_functions, dispatch_uid="halle-sqlite-functions")

    def get_urls(self):
        return self.post_process_urls([path("", self.search_view.as_view(), name="search")])

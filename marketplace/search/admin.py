"""The town's search synonyms in the Django admin (until the manager's /gestion/ space has them)."""
from django.contrib import admin

from marketplace.search.models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ("word", "searches_for", "updated_at")
    search_fields = ("word", "searches_for")
    ordering = ("word",)
    fields = ("word", "searches_for")

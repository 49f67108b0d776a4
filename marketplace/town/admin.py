from django.contrib import admin

from marketplace.town.models import TownEvent


@admin.register(TownEvent)
class TownEventAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "ends_at", "place", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title", "summary", "place")
    date_hierarchy = "starts_at"

from django.contrib import admin
from oscar.apps.order.admin import *  # noqa: F403

from marketplace.order.models import ShopOrder, ShopOrderEvent


class ShopOrderEventInline(admin.TabularInline):
    model = ShopOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "user", "note", "created_at")


@admin.register(ShopOrder)
class ShopOrderAdmin(admin.ModelAdmin):
    list_display = ("__str__", "shop", "status", "slot", "total_incl_tax", "has_unavailable_items")
    list_filter = ("status", "has_unavailable_items")
    search_fields = ("order__number", "shop__name")
    raw_id_fields = ("order", "shop", "collection_point", "slot", "slot_hold")
    readonly_fields = ("status",)
    inlines = [ShopOrderEventInline]

from django.contrib import admin

from shops.models import Closure, OpeningPeriod, Shop, ShopPhoto


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class ShopPhotoInline(admin.TabularInline):
    model = ShopPhoto
    extra = 0
    fields = ("image", "alt_text", "display_order")


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "trade", "status", "vacation_mode", "city")
    list_filter = ("status", "trade", "vacation_mode")
    search_fields = ("name", "slug")
    inlines = [OpeningPeriodInline, ClosureInline, ShopPhotoInline]

"""The manager's back office for collection points, lockers, templates and slots (Django admin)."""
from __future__ import annotations

from django.contrib import admin

from logistics.models import (
    CollectionPoint,
    LockerCompartment,
    PointClosure,
    PointOpeningPeriod,
    Slot,
    SlotHold,
    SlotTemplate,
)


class PointOpeningPeriodInline(admin.TabularInline):
    model = PointOpeningPeriod
    extra = 0


class PointClosureInline(admin.TabularInline):
    model = PointClosure
    extra = 0


class LockerCompartmentInline(admin.TabularInline):
    model = LockerCompartment
    extra = 0


class SlotTemplateInline(admin.TabularInline):
    model = SlotTemplate
    extra = 0


@admin.register(CollectionPoint)
class CollectionPointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "shop", "shelf_capacity", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "address")
    raw_id_fields = ("shop",)
    inlines = [PointOpeningPeriodInline, PointClosureInline, SlotTemplateInline, LockerCompartmentInline]


@admin.register(SlotTemplate)
class SlotTemplateAdmin(admin.ModelAdmin):
    list_display = ("point", "weekday", "start", "end", "capacity", "is_active")
    list_filter = ("point", "weekday", "is_active")


@admin.register(LockerCompartment)
class LockerCompartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "point", "size", "temperature", "is_active")
    list_filter = ("point", "size", "temperature", "is_active")


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Counters are changed only by the hold and booking services, never by hand."""

    list_display = ("point", "starts_at", "ends_at", "capacity", "booked", "held", "needs_attention")
    list_filter = ("needs_attention", "point")
    date_hierarchy = "starts_at"
    readonly_fields = ("booked", "held")


@admin.register(SlotHold)
class SlotHoldAdmin(admin.ModelAdmin):
    list_display = ("slot", "basket_id", "compartment", "status", "expires_at")
    list_filter = ("status",)
    search_fields = ("basket_id",)
    raw_id_fields = ("slot", "compartment")

    def has_add_permission(self, request):  # holds come from checkout only
        return False

    def has_change_permission(self, request, obj=None):
        return False



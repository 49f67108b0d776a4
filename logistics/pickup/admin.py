"""The manager's view of pickups: staff of each point (added through the service, so the
permission follows), codes, places, handovers (read only: an audit) and return tasks."""
from __future__ import annotations

from django.contrib import admin

from logistics.pickup.models import Handover, ParcelPlacement, PickupCode, PointStaff, ReturnTask
from logistics.pickup.services.staff import point_staff_add, point_staff_remove


@admin.register(PointStaff)
class PointStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "point", "created_at")
    list_filter = ("point",)
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if change:
            old = PointStaff.objects.get(pk=obj.pk)
            point_staff_remove(point=old.point, user=old.user)
        link = point_staff_add(point=obj.point, user=obj.user)
        obj.pk = link.pk

    def delete_model(self, request, obj):
        point_staff_remove(point=obj.point, user=obj.user)


@admin.register(PickupCode)
class PickupCodeAdmin(admin.ModelAdmin):
    list_display = ("order", "display", "is_open", "created_at", "closed_at")
    list_filter = ("is_open",)
    search_fields = ("order__number",)
    readonly_fields = ("order", "code", "is_open", "created_at", "closed_at")


@admin.register(ParcelPlacement)
class ParcelPlacementAdmin(admin.ModelAdmin):
    list_display = ("order", "point", "location", "placed_at", "ended_at", "end_reason")
    list_filter = ("point", "end_reason")
    search_fields = ("order__number",)
    readonly_fields = ("order", "point", "compartment", "shelf", "placed_at", "ended_at", "end_reason")


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ("order", "point", "by_user", "at", "complete")
    list_filter = ("point", "complete")
    search_fields = ("order__number", "by_user__email")
    readonly_fields = ("order", "point", "by_user", "at", "complete", "parts", "ip_address", "shop_orders")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReturnTask)
class ReturnTaskAdmin(admin.ModelAdmin):
    list_display = ("order", "shop", "point", "location", "created_at", "done_at")
    list_filter = ("shop", "done_at")
    search_fields = ("order__number",)
    raw_id_fields = ("order", "shop", "point", "done_by")

from django.contrib import admin
from oscar.apps.analytics.admin import *

from marketplace.analytics.models import CountingSite, FootfallImport, OpenDataset, RollupState


@admin.register(CountingSite)
class CountingSiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "street", "latitude", "longitude")
    search_fields = ("code", "name", "street")


@admin.register(FootfallImport)
class FootfallImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "status", "row_count", "created_at", "finished_at")
    readonly_fields = ("status", "row_count", "errors", "finished_at")


@admin.register(OpenDataset)
class OpenDatasetAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "row_count", "generated_at")
    readonly_fields = ("generated_at",)


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ("name", "watermark", "updated_at", "rebuilt_at")

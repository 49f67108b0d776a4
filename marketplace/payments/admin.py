"""Admin: commission plans are edited here by the manager; money rows are read-only."""
from django.contrib import admin

from .models import CommissionPlan, LedgerEntry, Payment, ReconciliationIssue, ShopPaymentAccount, WebhookEvent


@admin.register(CommissionPlan)
class CommissionPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "rate", "is_default")


@admin.register(ShopPaymentAccount)
class ShopPaymentAccountAdmin(admin.ModelAdmin):
    list_display = ("shop", "plan", "stripe_account_id", "details_submitted", "transfers_active")
    list_select_related = ("shop", "plan")
    readonly_fields = ("stripe_account_id", "details_submitted", "transfers_active", "payouts_enabled", "synced_at")
    fields = ("shop", "plan", *readonly_fields)
    search_fields = ("shop__name", "stripe_account_id")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("order_number", "status", "amount_cents", "amount_captured_cents", "amount_refunded_cents",
                    "created_at")
    list_filter = ("status",)
    search_fields = ("order_number", "intent_id")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("order_number", "shop", "kind", "amount_cents", "stripe_id", "created_at")
    list_filter = ("kind",)
    list_select_related = ("shop",)
    search_fields = ("order_number", "stripe_id")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnly):
    list_display = ("event_id", "type", "created", "processed_at", "outcome")
    search_fields = ("event_id",)


@admin.register(ReconciliationIssue)
class ReconciliationIssueAdmin(admin.ModelAdmin):
    list_display = ("payment", "code", "message", "created_at", "resolved_at")
    list_filter = ("code", "resolved_at")
    readonly_fields = ("payment", "code", "message", "created_at")

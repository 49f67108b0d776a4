"""Payment writes; views, tasks, receivers, commands and tests all call these."""
from .accounts import (
    commission_plan_update,
    shop_account_onboarding_link,
    shop_account_onboarding_origin,
    shop_account_refresh,
    shop_commission_plan_set,
    shop_payment_account_ensure,
)
from .checkout import payment_action_complete, payment_attach_order, payment_authorise
from .plans import commission_plan_create, plan_changes_apply, shop_plan_change_cancel, shop_plan_change_schedule
from .reconciliation import payment_check, payments_reconcile, reconciliation_issue_resolve
from .settlement import (
    hold_deadline,
    payment_part_cancel,
    payment_ready_mark,
    payment_release_unplaced,
    payment_settle,
    payment_targets,
    payments_holds_due,
    payments_orphans_release,
    payments_owing,
    settle_quietly,
)
from .webhooks import webhook_receive

__all__ = [
    "commission_plan_create",
    "commission_plan_update",
    "plan_changes_apply",
    "shop_plan_change_cancel",
    "shop_plan_change_schedule",
    "hold_deadline",
    "payment_action_complete",
    "payment_attach_order",
    "payment_authorise",
    "payment_check",
    "payment_part_cancel",
    "payment_ready_mark",
    "payment_release_unplaced",
    "payment_settle",
    "payment_targets",
    "payments_holds_due",
    "payments_orphans_release",
    "payments_owing",
    "payments_reconcile",
    "reconciliation_issue_resolve",
    "settle_quietly",
    "shop_account_onboarding_link",
    "shop_account_onboarding_origin",
    "shop_account_refresh",
    "shop_commission_plan_set",
    "shop_payment_account_ensure",
    "webhook_receive",
]

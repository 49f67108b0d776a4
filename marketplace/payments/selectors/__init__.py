"""Reads of payments, one module per concern: ``accounts`` (can a shop be paid, commission plans),
``ledger`` (balances, problems), ``money`` (per period), ``orders`` (what each order was charged).
Everything is importable from here, as before the split."""
from marketplace.payments.selectors.accounts import (  # noqa: F401
    USABLE,
    commission_plan_default,
    commission_plans_for,
    shop_can_receive_payments,
    shop_payment_account_get,
    shop_plan_changes_upcoming,
    shops_unable_to_receive_payments,
    shops_without_usable_account,
)
from marketplace.payments.selectors.ledger import (  # noqa: F401
    Balance,
    ledger_problems,
    payment_balance,
)
from marketplace.payments.selectors.money import (  # noqa: F401
    MONEY_KINDS,
    MoneySummary,
    money_by_shop,
    money_entries,
    money_movements,
    money_references,
    money_summary,
    money_totals,
    open_issues,
)
from marketplace.payments.selectors.orders import (  # noqa: F401
    OrderPaymentState,
    orders_net_charged_cents,
    orders_payment_states_count,
    orders_with_payment,
    shop_town_discount_cents,
)

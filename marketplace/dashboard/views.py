"""The dashboard home with Halle's revenue: charged less refunded, never what was authorised."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_UP, Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.apps.dashboard.views import IndexView as OscarIndexView

from marketplace.order.models import Order
from marketplace.payments.selectors import orders_net_charged_cents, orders_payment_states_count

HOURS, BAR_HOURS, SEGMENTS = 24, 2, 10


def _euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


class IndexView(OscarIndexView):
    """Oscar's home, its money figures replaced: revenue (last 24 hours and in all),
    average order and the hourly chart are what orders were charged less what was
    refunded; the status breakdown is the payment's state now."""

    def get_stats(self):
        stats = super().get_stats()
        orders = Order.objects.all()
        last_day = orders.filter(date_placed__gt=timezone.now() - dt.timedelta(hours=HOURS))
        day_count = stats["total_orders_last_day"]
        day_net = orders_net_charged_cents(last_day)
        stats.update(
            total_revenue_last_day=_euros(day_net),
            average_order_costs=_euros(day_net // day_count if day_count else 0),
            total_revenue=_euros(orders_net_charged_cents(orders)),
            order_status_breakdown=[{"status": row["label"], "freq": row["freq"]}
                                    for row in orders_payment_states_count(orders)],
        )
        return stats

    def get_hourly_report(self, orders, hours=HOURS, segments=SEGMENTS):
        """Net charged per two hours over the last ``hours``, in one query (Oscar's chart data)."""
        end = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        starts = [end - dt.timedelta(hours=hours) + dt.timedelta(hours=BAR_HOURS * i)
                  for i in range(hours // BAR_HOURS)]
        net = Coalesce("payment__amount_captured_cents", 0) - Coalesce("payment__amount_refunded_cents", 0)
        sums = orders.order_by().aggregate(**{
            f"bar{i}": Sum(net, filter=Q(date_placed__gte=start, date_placed__lt=start + dt.timedelta(hours=BAR_HOURS)))
            for i, start in enumerate(starts)
        })
        bars = [{"end_time": start + dt.timedelta(hours=BAR_HOURS), "total_incl_tax": _euros(sums[f"bar{i}"] or 0)}
                for i, start in enumerate(starts)]
        top = max(bar["total_incl_tax"] for bar in bars)
        step = Decimal(1)
        while step < top / 50:
            step *= 10
        top = (top / step).quantize(Decimal(1), rounding=ROUND_UP) * step
        for bar in bars:
            bar["percentage"] = int(bar["total_incl_tax"] * 100 / top) if top else 0
        y_range = [top * index / segments for index in range(segments, -1, -1)] if top else []
        return {"order_total_hourly": bars, "max_revenue": top, "y_range": y_range}

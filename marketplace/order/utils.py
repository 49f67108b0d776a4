"""Oscar's order creator, adapted: stock is already allocated by the checkout's holds.

Oscar allocates stock while writing the order lines, unconditionally and after
checking availability in an earlier step (the oversell race). Halle allocates
when the shopper picks a slot (``marketplace.checkout.services.checkout_hold``,
a conditional update), so writing the lines must not allocate a second time.
"""
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderDispatcher, OrderNumberGenerator  # noqa: F401 (Oscar's class loader)


class OrderCreator(OscarOrderCreator):
    def place_order(self, *args, **kwargs):
        self.lines_by_basket_line = {}
        return super().place_order(*args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        self.lines_by_basket_line[basket_line.pk] = line
        # The order's lines as just written (in pk order): ``order.lines.all()`` in the
        # payment events and the purchase counters reads them without another query.
        getattr(order, "_prefetched_objects_cache", {}).pop("lines", None)
        lines = order.lines.all()  # the real queryset: filtering it still asks the database
        lines._result_cache = list(self.lines_by_basket_line.values())
        lines._prefetch_done = True
        order._prefetched_objects_cache = {**getattr(order, "_prefetched_objects_cache", {}), "lines": lines}
        return line

    def update_stock_records(self, line):
        """Nothing to do: the basket's stock holds already allocated these units."""

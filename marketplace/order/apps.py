from django.db import transaction
from oscar.apps.order import apps


def _analytics_after_commit(sender, order, user=None, **kwargs):
    """Oscar's purchase counters, once the order is committed.

    Oscar's receiver updates one counter row per product and, on a race,
    catches an ``IntegrityError`` without a savepoint. Run inside the
    placement transaction it would serialise every order of a product on that
    row and, under concurrency, break the transaction; after commit it runs in
    autocommit, where its own race handling works.
    """
    from oscar.apps.analytics.receivers import receive_order_placed

    transaction.on_commit(lambda: receive_order_placed(sender, order=order, user=user, **kwargs))


class OrderConfig(apps.OrderConfig):
    name = "marketplace.order"

    def ready(self):
        super().ready()
        from oscar.apps.analytics.receivers import receive_order_placed
        from oscar.apps.order.signals import order_placed

        if order_placed.disconnect(receive_order_placed):
            order_placed.connect(_analytics_after_commit, dispatch_uid="order.analytics_after_commit")

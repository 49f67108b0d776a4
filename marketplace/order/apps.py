from oscar.apps.order import apps


class OrderConfig(apps.OrderConfig):
    name = "marketplace.order"

    def ready(self):
        super().ready()

from oscar.apps.basket import apps


class BasketConfig(apps.BasketConfig):
    name = "marketplace.basket"

    def ready(self):
        super().ready()
        from marketplace.basket import receivers

        receivers.connect()

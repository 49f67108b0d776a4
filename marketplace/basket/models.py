from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    """A basket whose lines may come from several shops."""

    _chosen_stockrecord = None

    def add_product(self, product, quantity=1, options=None, stockrecord=None):
        """Add ``product`` from the offer ``stockrecord`` (the strategy's choice if None)."""
        self._chosen_stockrecord = stockrecord
        try:
            return super().add_product(product, quantity, options)
        finally:
            self._chosen_stockrecord = None

    def get_stock_info(self, product, options):
        return self.strategy.fetch_for_product(product, stockrecord=self._chosen_stockrecord)

    def all_lines(self):
        # Lines grouped by shop (then in the order they were added), with the
        # shop fetched, so the basket page renders one group per shop.
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related("product__product_class", "stockrecord__partner__shop")
                .prefetch_related("attributes", "product__images")
                .order_by("stockrecord__partner__name", "stockrecord__partner_id", "pk")
            )
        return self._lines

    def offer_quantity(self, stockrecord) -> int:
        """Units of this exact offer already in the basket."""
        return sum(line.quantity for line in self.all_lines() if line.stockrecord_id == stockrecord.pk)


from oscar.apps.basket.models import *  # noqa: E402,F403

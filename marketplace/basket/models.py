from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from oscar.apps.basket.abstract_models import AbstractBasket

from marketplace.core.db import queryset_known_empty


class BasketLineQuerySet(QuerySet):
    """Basket lines whose options (line attributes) are fetched only if some line has any.

    Most products have no options: the attributes query would return nothing on nearly
    every page that shows the basket (the mini-basket is on all of them).
    """

    def with_attributes_flag(self):
        from oscar.apps.basket.models import LineAttribute

        return self.annotate(has_attributes=Exists(LineAttribute.objects.filter(line=OuterRef("pk"))))

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if not fetched or not self._result_cache or "has_attributes" not in self.query.annotations:
            return
        from oscar.apps.basket.models import LineAttribute

        with_attributes = [line for line in self._result_cache if line.has_attributes]
        for line in self._result_cache:
            if not line.has_attributes:
                line._prefetched_objects_cache = {"attributes": LineAttribute.objects.none()}
        if with_attributes:
            prefetch_related_objects(with_attributes, "attributes")


class Basket(AbstractBasket):
    """A basket whose lines may come from several shops."""

    def add_product(self, product, quantity=1, options=None, stockrecord=None):
        """Add ``product`` from the offer ``stockrecord`` (the strategy's choice if None).

        Oscar's checks and results, in fewer queries: a basket saved just now has no
        line to look up, and its currency is known before it is saved.
        """
        options = options or []
        price_currency = self.currency if self.id else None
        if not self.id:
            self.save()
            new_basket = True
        else:
            new_basket = False
        stock_info = self.strategy.fetch_for_product(product, stockrecord=stockrecord)
        if not stock_info.price.exists:
            raise ValueError("Strategy hasn't found a price for product %s" % product)
        if price_currency and stock_info.price.currency != price_currency:
            raise ValueError(
                "Basket lines must all have the same currency. Proposed line has currency %s, "
                "while basket has currency %s" % (stock_info.price.currency, price_currency)
            )
        if stock_info.stockrecord is None:
            raise ValueError("Basket lines must all have stock records (product %s)" % product)
        line_ref = self._create_line_reference(product, stock_info.stockrecord, options)
        defaults = {
            "quantity": max(0, quantity),
            "price_excl_tax": stock_info.price.excl_tax,
            "price_currency": stock_info.price.currency,
            "tax_code": stock_info.price.tax_code,
        }
        if stock_info.price.is_tax_known:
            defaults["price_incl_tax"] = stock_info.price.incl_tax
        key = {"line_reference": line_ref, "product": product, "stockrecord": stock_info.stockrecord}
        if new_basket:
            line, created = self.lines.create(**key, **defaults), True
        else:
            line, created = self.lines.get_or_create(**key, defaults=defaults)
        if created:
            for option_dict in options:
                line.attributes.create(option=option_dict["option"], value=option_dict["value"])
        else:
            line.quantity = max(0, line.quantity + quantity)
            line.save()
        self.reset_offer_applications()
        return line, created

    add_product.alters_data = True

    def all_lines(self):
        # Lines grouped by shop (then in the order they were added), with the
        # shop fetched, so the basket page renders one group per shop, and its
        # payment account, so the checkout knows it can be paid without asking.
        if self.id is None:
            return queryset_known_empty(self.lines.model.objects.all())
        if self._lines is None:
            lines = BasketLineQuerySet(model=self.lines.model, using=self._state.db or "default")
            # As the related manager does: every line knows this very basket (and its strategy).
            lines._known_related_objects = {self.lines.model._meta.get_field("basket"): {self.pk: self}}
            self._lines = (
                lines.filter(basket=self)
                .with_attributes_flag()
                .select_related("product__product_class", "stockrecord__partner__shop__payment_account")
                .order_by("stockrecord__partner__name", "stockrecord__partner_id", "pk")
            )
        return self._lines

    @property
    def num_lines(self):
        # The lines are needed anyway (totals, mini-basket): load them once, no COUNT.
        return len(self.all_lines())

    def offer_quantity(self, stockrecord) -> int:
        """Units of this exact offer already in the basket."""
        return sum(line.quantity for line in self.all_lines() if line.stockrecord_id == stockrecord.pk)

    def vouchers_known_empty(self) -> None:
        """Say the basket holds no voucher, so that applying offers does not ask."""
        self._prefetched_objects_cache = {
            **getattr(self, "_prefetched_objects_cache", {}),
            "vouchers": queryset_known_empty(self.vouchers.model.objects.all()),
        }


from oscar.apps.basket.models import *  # noqa: E402,F403

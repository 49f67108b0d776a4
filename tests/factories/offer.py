"""Factories for Oscar's offers: ranges, conditions, benefits and town-wide offers.

Ours rather than ``oscar.test.factories``: those save each range a second time after
its post-generation hook, which factory-boy deprecates.
"""
from decimal import Decimal

import factory
from oscar.core.loading import get_model

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
RangeProduct = get_model("offer", "RangeProduct")


class RangeFactory(factory.django.DjangoModelFactory):
    """A range of the products passed as ``products=[...]`` (none by default)."""

    class Meta:
        model = Range
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Gamme {n}")
    slug = factory.Sequence(lambda n: f"gamme-{n}")

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            RangeProduct.objects.bulk_create(
                RangeProduct(range=self, product=product, display_order=order)
                for order, product in enumerate(extracted)
            )


class ConditionFactory(factory.django.DjangoModelFactory):
    """From 30 € of any product."""

    class Meta:
        model = Condition

    type = Condition.VALUE
    value = Decimal("30.00")
    range = factory.SubFactory(RangeFactory, includes_all_products=True)


class BenefitFactory(factory.django.DjangoModelFactory):
    """5 € off the basket's products."""

    class Meta:
        model = Benefit

    type = Benefit.FIXED
    value = Decimal("5.00")
    max_affected_items = None
    range = factory.SubFactory(RangeFactory, includes_all_products=True)


class ConditionalOfferFactory(factory.django.DjangoModelFactory):
    """A town-wide (site) offer running now and without end unless told otherwise."""

    class Meta:
        model = ConditionalOffer

    name = factory.Sequence(lambda n: f"Promotion {n}")
    offer_type = ConditionalOffer.SITE
    condition = factory.SubFactory(ConditionFactory)
    benefit = factory.SubFactory(BenefitFactory)

import datetime as dt

import factory
from django.utils.text import slugify

from shops.models import Closure, OpeningPeriod, Shop, ShopStatus, Trade
from tests.factories.partner import PartnerFactory


class ShopFactory(factory.django.DjangoModelFactory):
    """An active shop together with the Oscar ``Partner`` carrying its stock and staff."""

    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Boulangerie Numéro {n}")
    slug = factory.LazyAttribute(lambda s: slugify(s.name))
    partner = factory.SubFactory(
        PartnerFactory,
        name=factory.SelfAttribute("..name"),
        code=factory.SelfAttribute("..slug"),
    )
    trade = Trade.BOULANGERIE
    description = "Un commerce du centre-ville."
    line1 = "1 place du Marché"
    postcode = "45210"
    city = "Beaumont-sur-Loing"
    status = ShopStatus.ACTIVE
    vacation_mode = False

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            for user in extracted:
                self.partner.users.add(user)


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningPeriod

    shop = factory.SubFactory(ShopFactory)
    weekday = 0
    opens = dt.time(9, 0)
    closes = dt.time(12, 0)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    shop = factory.SubFactory(ShopFactory)
    starts_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 12, 0, 0, tzinfo=dt.UTC))
    ends_at = factory.LazyAttribute(lambda c: c.starts_at + dt.timedelta(days=1))
    reason = "Inventaire"

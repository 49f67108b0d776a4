"""Factories for the shoppers' shop pages (photos); the shop ones are in tests.factories.shops."""
import factory

from shops.models import ShopPhoto
from tests.factories.shops import ShopFactory


class ShopPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopPhoto

    shop = factory.SubFactory(ShopFactory)
    image = factory.django.ImageField(width=40, height=30, color="orange", filename="vitrine.jpg", format="JPEG")
    alt_text = factory.Sequence(lambda n: f"La vitrine du commerce, vue {n}")
    display_order = factory.Sequence(lambda n: n)


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A product picture, so that product cards render a real thumbnail."""

    class Meta:
        model = "catalogue.ProductImage"

    product = factory.SubFactory("tests.factories.catalogue.ProductFactory")
    original = factory.django.ImageField(width=30, height=30, color="green", filename="produit.jpg", format="JPEG")
    caption = ""
    display_order = 0

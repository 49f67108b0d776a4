from decimal import Decimal

import factory
from django.utils.text import slugify

from marketplace.catalogue.models import Category, Product, ProductCategory, ProductClass


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass

    name = factory.Sequence(lambda n: f"Classe {n}")
    slug = factory.LazyAttribute(lambda pc: slugify(pc.name))
    vat_rate = Decimal("20.00")
    requires_shipping = False
    track_stock = True


class CategoryFactory(factory.django.DjangoModelFactory):
    """A treebeard node: a root by default, a child with ``parent=<category>``."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Rayon {n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.name))
    is_public = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(kwargs)
        parent.refresh_from_db()
        return model_class.objects.add_child(parent, kwargs)


class ProductFactory(factory.django.DjangoModelFactory):
    """A public standalone product; offers come from ``StockRecordFactory``."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    structure = Product.STANDALONE
    upc = factory.Sequence(lambda n: f"TEST{n:09d}")
    title = factory.Sequence(lambda n: f"Produit {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.title))
    description = "Un produit du centre-ville."
    product_class = factory.SubFactory(ProductClassFactory)
    is_public = True

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            for category in extracted:
                ProductCategory.objects.create(product=self, category=category)

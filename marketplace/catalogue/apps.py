from oscar.apps.catalogue import apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "marketplace.catalogue"

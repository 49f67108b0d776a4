from oscar.apps.catalogue import apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "marketplace.catalogue"

    def ready(self):
        super().ready()
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from treebeard.mp_tree import nodes_deleted, path_updated

        from marketplace.catalogue.menu import NAMESPACE, categories_changed
        from marketplace.catalogue.models import Category, Product, ProductCategory
        from marketplace.core.registry import page_cache_namespaces

        # Every whole page kept by the page cache shows the menu: its version is in their key.
        page_cache_namespaces.register(NAMESPACE)

        # The cached menu and category trails (menu.py) follow every change of the tree
        # or of a product's categories, whatever API made it.
        for model in (Category, ProductCategory):
            post_save.connect(categories_changed, sender=model, dispatch_uid=f"halle-menu-save-{model.__name__}")
            post_delete.connect(categories_changed, sender=model, dispatch_uid=f"halle-menu-delete-{model.__name__}")
        m2m_changed.connect(categories_changed, sender=Product.categories.through, dispatch_uid="halle-menu-m2m")
        path_updated.connect(categories_changed, sender=Category, dispatch_uid="halle-menu-path")
        nodes_deleted.connect(categories_changed, sender=Category, dispatch_uid="halle-menu-nodes")

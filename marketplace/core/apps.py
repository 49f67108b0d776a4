from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "halle_core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from marketplace.core.db import reference_ids_forget

        # A flush (tests' transactional cases) sends post_migrate: cached reference ids go.
        post_migrate.connect(reference_ids_forget, dispatch_uid="reference_ids_forget")

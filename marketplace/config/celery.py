"""The Celery application: configured from Django settings (``CELERY_*``)."""
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.local")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _check_services_on_worker_start(**kwargs) -> None:
    """A worker started against a dead broker or database says so in one sentence."""
    from marketplace.config.startup import explain_startup_errors, services_check

    with explain_startup_errors():
        services_check()

"""WSGI entry point (gunicorn). Checks the services it needs before serving."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.production")

from marketplace.config.startup import explain_startup_errors, services_check

with explain_startup_errors():
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    services_check()

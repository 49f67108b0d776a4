"""``manage.py check_services``: exit 0 when PostgreSQL and Redis answer.

``manage.py`` runs ``services_check()`` before any command listed in its
``SERVICE_COMMANDS`` and turns a failure into one sentence on stderr with exit
status 1; the check is repeated here so that ``call_command`` means the same.
"""
from django.core.management.base import BaseCommand

from marketplace.config.startup import services_check


class Command(BaseCommand):
    help = "Vérifie que PostgreSQL et Redis répondent (code de sortie 1 sinon)."
    requires_system_checks = []

    def handle(self, *args, **options):
        services_check()
        self.stdout.write("PostgreSQL et Redis répondent.")

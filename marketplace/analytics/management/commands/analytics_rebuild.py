import time

from django.core.management.base import BaseCommand

from marketplace.analytics.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Reconstruit tous les agrégats des statistiques à partir des commandes, du grand livre et des créneaux."

    def handle(self, *args, **options):
        started = time.monotonic()
        report = rollups_rebuild()
        self.stdout.write(
            f"Agrégats reconstruits : {report.days} jour{'s' if report.days > 1 else ''} "
            f"en {time.monotonic() - started:.1f} s."
        )

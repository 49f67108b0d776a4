import time

from django.core.management.base import BaseCommand

from marketplace.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Recalcule l'index de recherche de tous les produits (réparation ; les déclencheurs le tiennent à jour)."

    def handle(self, *args, **options):
        started = time.monotonic()
        search_index_rebuild()
        self.stdout.write(f"Index de recherche recalculé en {time.monotonic() - started:.1f} s.")

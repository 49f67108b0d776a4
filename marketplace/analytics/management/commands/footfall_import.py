from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from marketplace.analytics.footfall.services import (
    FootfallRefused,
    footfall_import_create,
    footfall_import_run,
)
from marketplace.analytics.models import FootfallImportStatus


class Command(BaseCommand):
    help = ("Importe un fichier de comptages de passants (schéma national « comptage mobilités » : site_id, "
            "channel_id, start_datetime, end_datetime, count ; xlong, ylat, direction facultatifs). Tout ou rien.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV (UTF-8, séparateur , ou ;)")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        with path.open("rb") as handle:
            try:
                with transaction.atomic():
                    footfall_import = footfall_import_create(file=handle, file_name=path.name, queue=False)
            except FootfallRefused as error:
                raise CommandError(str(error)) from None
        footfall_import = footfall_import_run(footfall_import_id=footfall_import.pk)
        if footfall_import.status != FootfallImportStatus.DONE:
            lines = "\n".join(f"  ligne {e['line']} : {e['message']}" if e["line"] else f"  {e['message']}"
                              for e in footfall_import.errors)
            raise CommandError(f"Import refusé, rien n'a été importé :\n{lines}")
        self.stdout.write(f"{footfall_import.row_count} comptages importés (import n° {footfall_import.pk}).")

"""``manage.py addresses_import FILE``: load a Base Adresse Nationale CSV, all or nothing."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from logistics.delivery.services.addresses import AddressesRefused, addresses_import_file


class Command(BaseCommand):
    help = "Importe un fichier CSV de la Base Adresse Nationale (adresses-XX.csv), tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        def progress(rows: int) -> None:
            self.stdout.write(f"{rows} adresses lues…")

        try:
            report = addresses_import_file(path=file, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        except UnicodeDecodeError:
            raise CommandError("Le fichier n'est pas en UTF-8 : rien n'a été importé.") from None
        except AddressesRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(refused.errors)} ligne(s) refusée(s) : rien n'a été importé.") from None
        self.stdout.write(self.style.SUCCESS(f"{report.rows} adresses importées."))

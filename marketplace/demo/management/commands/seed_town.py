import time

from django.core.management.base import BaseCommand, CommandError

from marketplace.demo.accounts import demo_accounts_ensure
from marketplace.demo.town import town_seed


class Command(BaseCommand):
    help = "Crée (ou complète) une ville de démonstration déterministe."

    def add_arguments(self, parser):
        parser.add_argument("--shops", type=int, default=12, help="nombre de commerces")
        parser.add_argument("--products", type=int, default=400, help="nombre de produits")
        parser.add_argument("--seed", type=int, default=1, help="graine du générateur")
        parser.add_argument("--no-images", action="store_true", help="sans images de produits")
        parser.add_argument("--accounts", action="store_true", help="crée aussi les comptes de démonstration")
        parser.add_argument("--historique", type=int, default=0, metavar="SEMAINES",
                            help="semaines de commandes passées à générer (statistiques, données ouvertes)")

    def handle(self, *args, shops, products, seed, no_images, accounts, historique, **options):
        if shops < 1 or shops > 1000:
            raise CommandError("--shops doit être compris entre 1 et 1000.")
        if products < 0 or products > 1_000_000:
            raise CommandError("--products doit être compris entre 0 et 1 000 000.")
        started = time.monotonic()
        report = town_seed(shops=shops, products=products, seed=seed, images=not no_images)
        self.stdout.write(
            f"Ville de démonstration (graine {seed}) : {report.shops_created} commerces, "
            f"{report.products_created} produits, {report.stockrecords_created} offres créés "
            f"en {time.monotonic() - started:.1f} s."
        )
        if historique < 0 or historique > 104:
            raise CommandError("--historique doit être compris entre 0 et 104 semaines.")
        if historique:
            self._history(seed=seed, weeks=historique)
        if accounts:
            self.stdout.write("Comptes de démonstration :")
            for account in demo_accounts_ensure():
                detail = f" — {account.detail}" if account.detail else ""
                self.stdout.write(f"  {account.role:<24} {account.email:<26} {account.password}{detail}")
            from marketplace.demo.gestion import gestion_demo_ensure

            gestion = gestion_demo_ensure()
            self.stdout.write(
                f"  {'Commerce en intégration':<24} {gestion.onboarding_owner_email:<26} halle-demo-2026"
                f" — {gestion.onboarding_shop} (mise en route à moitié)"
            )
            from marketplace.demo.promotions import promotions_demo_ensure

            promotions = promotions_demo_ensure()
            if promotions is not None:
                self.stdout.write(
                    f"  {'Ambassadeur':<24} {promotions.ambassador_email:<26} halle-demo-2026"
                    f" — code {promotions.ambassador_code}, page /ambassadeur/"
                )
            self.stdout.write(
                "Espace commerçant : /espace-commercant/ (équipe, jetons de caisse, promotions) ; "
                "gestion du centre-ville : /gestion/ (commerces, candidatures, contenu, logistique, promotions, argent) ; "
                "catalogue et commandes d'Oscar : /dashboard/."
            )
            self.stdout.write(
                "API caisse (documentation : /api/v1/docs/) — créer un jeton : "
                "Espace commerçant → « Caisse et API », ou\n"
                "  .venv/bin/python manage.py api_token_create --email commercant1@halle.test --name \"Caisse\"\n"
                "  curl -H \"Authorization: Bearer <jeton>\" http://127.0.0.1:8000/api/v1/offers/"
            )

    def _history(self, *, seed: int, weeks: int) -> None:
        """Past orders, a week of footfall counts, the roll-ups and the open datasets."""
        import datetime as dt

        from django.utils import timezone

        from marketplace.analytics.footfall.demo import footfall_demo_seed
        from marketplace.analytics.opendata.publish import opendata_publish
        from marketplace.analytics.services.rollups import rollups_rebuild
        from marketplace.demo.history import history_seed

        started = time.monotonic()
        orders = history_seed(weeks=weeks, seed=seed)
        today = timezone.localdate()
        last_monday = today - dt.timedelta(days=today.weekday() + 7)
        counts = footfall_demo_seed(monday=last_monday, seed=seed)
        days = rollups_rebuild().days
        opendata_publish()
        self.stdout.write(
            f"Historique : {orders} commandes, {counts} comptages de passants, agrégats de {days} jours "
            f"et données ouvertes en {time.monotonic() - started:.1f} s "
            "(statistiques : /gestion/statistiques/, données ouvertes : /donnees-ouvertes/)."
        )

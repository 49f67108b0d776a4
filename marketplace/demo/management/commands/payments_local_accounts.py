from django.core.management.base import BaseCommand, CommandError

from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.payments.errors import PaymentError
from shops.models import Shop


class Command(BaseCommand):
    help = ("Démo : ouvre et complète sur le serveur Stripe local le compte de chaque commerce qui n'en a pas "
            "d'utilisable, pour que tous puissent vendre.")

    def handle(self, *args, **options):
        try:
            accounts = shop_accounts_local_onboard(shops=Shop.objects.order_by("pk"))
        except PaymentError as error:
            raise CommandError(str(error)) from error
        usable = sum(account.is_usable for account in accounts)
        self.stdout.write(f"Comptes Stripe locaux : {usable}/{len(accounts)} commerces peuvent recevoir des paiements.")

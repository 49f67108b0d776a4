"""Create a till/POS API token for a shop from the command line (the back-office page does the same)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shops.api.tokens import api_token_create
from shops.models import Shop


class Command(BaseCommand):
    help = "Crée un jeton d'API de caisse pour un commerce et l'affiche une seule fois."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--shop", help="identifiant d'URL (slug) du commerce")
        who.add_argument("--email", help="e-mail d'un membre de l'équipe du commerce")
        parser.add_argument("--name", default="Caisse", help="nom du jeton (ex. « Caisse du comptoir »)")

    def handle(self, *args, shop, email, name, **options):
        shops = Shop.objects.filter(slug=shop) if shop else Shop.objects.filter(partner__users__email__iexact=email)
        found = list(shops.distinct()[:2])
        if not found:
            raise CommandError("Aucun commerce ne correspond.")
        if len(found) > 1:
            raise CommandError("Cette personne travaille pour plusieurs commerces : précisez --shop.")
        try:
            token, secret = api_token_create(shop=found[0], name=name)
        except ValidationError as error:  # its French message, without a traceback
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Jeton « {token.name} » pour « {found[0].name} » (affiché une seule fois) :")
        self.stdout.write(secret)

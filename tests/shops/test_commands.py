"""The api_token_create command: a working token for a shop, French errors otherwise."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shops.api.tokens import api_token_get
from tests.factories.backoffice import merchant

pytestmark = pytest.mark.django_db


def test_a_token_is_printed_once_and_works():
    _, shop = merchant(username="gerant", email="gerant@halle.test", role="owner")
    out = StringIO()
    call_command("api_token_create", "--email", "GERANT@halle.test", "--name", "Caisse 1", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = api_token_get(raw=secret)
    assert token.shop == shop and token.name == "Caisse 1"


@pytest.mark.parametrize("args", [["--shop", "inconnu"], ["--email", "personne@halle.test"]])
def test_an_unknown_shop_is_a_french_error(args):
    with pytest.raises(CommandError, match="Aucun commerce ne correspond."):
        call_command("api_token_create", *args, stdout=StringIO())


def test_a_refused_token_name_is_the_services_french_error():
    merchant(username="gerant", email="gerant@halle.test", role="owner")
    with pytest.raises(CommandError, match="Donnez un nom au jeton"):
        call_command("api_token_create", "--email", "gerant@halle.test", "--name", "  ", stdout=StringIO())

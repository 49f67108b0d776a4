"""With the production settings, a missing page, a server error, a refused form and an
unknown host show the site's own French pages: never Django's debug page (no URL list, no
traceback, no setting), even if DJANGO_DEBUG is set in the environment."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.marketplace.config.test_startup import PROJECT, _clean_env, _production_env

pytestmark = pytest.mark.django_db

DEBUG_SIGNS = ("Traceback", "URLconf", "Using the URLconf", "technical_500", "DATABASE_PASSWORD", "Request Method",
               "Django Version", "settings.py", "panne simulée", "You're seeing this error", "CSRF verification failed",
               "Help", "Reason given for failure")


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
    env = _production_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_DEBUG="1",  # production ignores it
        DJANGO_SECURE_SSL_REDIRECT="1",
    )
    result = subprocess.run([sys.executable, "-m", "tests.support.error_pages_probe"], cwd=PROJECT,
                            env=_clean_env(**env), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_production_never_runs_in_debug_even_when_the_environment_asks(pages):
    assert pages["debug"] is False


@pytest.mark.parametrize(("name", "status", "heading"), [
    ("404", 404, "Page introuvable"),
    ("500", 500, "Une erreur est survenue de notre côté"),
    ("csrf", 403, "Le formulaire n'a pas pu être envoyé"),
    ("400", 400, "Demande incorrecte"),
])
def test_each_failure_shows_the_sites_french_page_without_any_debug_detail(pages, name, status, heading):
    import html

    page = pages[name]
    body = html.unescape(page["body"])

    assert page["status"] == status
    assert page["content_type"].startswith("text/html")
    assert '<html lang="fr"' in body and f"<h1>{heading}</h1>" in body
    assert "Retour à l'accueil" in body and 'href="/static/css/halle.css"' in body
    assert [sign for sign in DEBUG_SIGNS if sign in body] == []
    assert "admin/" not in body and "espace-commercant/" not in body  # no list of the site's URLs


def test_a_refused_page_says_so_in_french_with_the_site_around_it(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="cliente@halle.test"))

    response = client.get("/espace-commercant/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in body and "cliente@halle.test" in body
    assert 'id="logout_link"' in body  # the site's header: the visitor can sign out from here

"""Run under production settings (``python -m tests.support.error_pages_probe``): request a
missing page, a failing one, a form without its CSRF token and an unknown host through
Django's test client and the site's real handlers; print what came back as JSON.

The collected static manifest is a build artefact (``collectstatic`` in the image): here
the files are served from the finders, the rest of the settings are production's.
"""
from __future__ import annotations

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    host = settings.ALLOWED_HOSTS[0]
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    answers = {"debug": settings.DEBUG}
    with override_settings(STORAGES=storages, ROOT_URLCONF="tests.support.error_urls"):
        client = Client(raise_request_exception=False, HTTP_HOST=host)
        pages = {
            "404": lambda: client.get("/page-qui-n-existe-pas/", secure=True),
            "500": lambda: client.get("/panne-simulee/", secure=True),
            "csrf": lambda: Client(enforce_csrf_checks=True, HTTP_HOST=host).post(
                "/accounts/login/", {"login-username": "a@b.fr", "login-password": "x", "login_submit": "1"}, secure=True),
            "400": lambda: client.get("/", secure=True, HTTP_HOST="pirate.example"),
        }
        for name, request in pages.items():
            response = request()
            answers[name] = {"status": response.status_code, "body": response.content.decode(),
                             "content_type": response.get("Content-Type", "")}
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()

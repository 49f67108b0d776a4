"""Start-up in production: a missing setting or a dead service is one French sentence on
stderr and exit status 1, never a traceback; a well-configured deployment passes
Django's deployment checks without a warning."""
from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from marketplace.config.startup import ServiceUnavailable, explain

PROJECT = Path(__file__).resolve().parents[3]
PRODUCTION = "marketplace.config.settings.production"
# Variables the settings read: none of the test run's own may leak into a child.
SETTINGS_PREFIXES = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CACHE_", "EMAIL_", "HALLE_", "TEST_", "LOG_LEVEL",
                     "AWS_")


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overrides)
    return env


def _manage(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DJANGO_SECRET_KEY": _secret_key(),
        "DJANGO_ALLOWED_HOSTS": "halle.example",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/halle",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "AWS_STORAGE_BUCKET_NAME": "halle-media",
    }
    env.update(overrides)
    return env


@pytest.fixture
def real_database_url(django_db_setup) -> str:
    """A URL to the test database, which exists for the whole session."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_production_without_secret_key_exits_1_with_one_line_naming_the_variable():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]

    result = _manage("check", **env)

    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "DJANGO_SECRET_KEY" in line
    assert line.startswith("Halle : Configuration invalide")
    assert result.stdout == ""


def test_production_without_allowed_hosts_exits_1_with_one_line_naming_the_variable():
    env = _production_env()
    del env["DJANGO_ALLOWED_HOSTS"]

    result = _manage("check", **env)

    assert result.returncode == 1
    assert "DJANGO_ALLOWED_HOSTS" in _one_line(result.stderr)


def test_check_services_with_postgresql_unreachable_exits_1_with_one_line_naming_database_url():
    result = _manage("check_services", **_production_env(DATABASE_URL="postgres://postgres@127.0.0.1:1/halle"))

    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "DATABASE_URL" in line
    assert "127.0.0.1:1" in line
    assert "PostgreSQL et Redis répondent" not in result.stdout


def test_check_services_with_redis_unreachable_exits_1_with_one_line_naming_redis_url(real_database_url):
    env = _production_env(DATABASE_URL=real_database_url, REDIS_URL="redis://127.0.0.1:1/0")

    result = _manage("check_services", **env)

    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "REDIS_URL" in line
    assert "127.0.0.1:1" in line


def test_check_services_with_celery_broker_unreachable_names_celery_broker_url(real_database_url):
    env = _production_env(DATABASE_URL=real_database_url, CELERY_BROKER_URL="redis://127.0.0.1:1/0")

    result = _manage("check_services", **env)

    assert result.returncode == 1
    assert "CELERY_BROKER_URL" in _one_line(result.stderr)


def test_check_services_with_everything_reachable_exits_0(real_database_url):
    result = _manage("check_services", **_production_env(DATABASE_URL=real_database_url))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "PostgreSQL et Redis répondent."
    assert "Traceback" not in result.stderr


def test_production_deploy_checks_pass_without_any_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_deploy_checks_do_fail_on_a_weak_secret_key():
    """The check above can fail: a short, guessable key is reported as a warning."""
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **_production_env(DJANGO_SECRET_KEY="trop-court")
    )

    assert result.returncode == 1
    assert "security.W009" in result.stdout + result.stderr


# --- In process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_services_command_prints_its_french_confirmation():
    out = StringIO()

    call_command("check_services", stdout=out)

    assert out.getvalue().strip() == "PostgreSQL et Redis répondent."


def test_explain_turns_a_missing_variable_into_a_french_sentence():
    from django.core.exceptions import ImproperlyConfigured

    sentence = explain(ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable"))

    assert sentence == (
        "Configuration invalide : la variable d'environnement DJANGO_SECRET_KEY "
        "est obligatoire avec ces réglages (voir .env.example)."
    )


def test_explain_passes_service_unavailable_through_and_knows_nothing_else():
    assert explain(ServiceUnavailable("Redis injoignable")) == "Redis injoignable"
    assert explain(KeyError("x")) is None


def test_production_without_a_media_bucket_exits_1_with_one_line_naming_the_variable():
    env = _production_env()
    del env["AWS_STORAGE_BUCKET_NAME"]

    result = _manage("check", **env)

    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "AWS_STORAGE_BUCKET_NAME" in line and line.startswith("Halle : Configuration invalide")


#: Prints what the settings chose for media, and the storage object Django builds from them.
MEDIA_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
default_storage.exists  # builds the lazy storage without touching the network
print(json.dumps({"backend": settings.STORAGES["default"]["BACKEND"], "class": type(default_storage._wrapped).__module__
                  + "." + type(default_storage._wrapped).__name__, "bucket": default_storage.bucket_name,
                  "endpoint": default_storage.endpoint_url, "overwrite": default_storage.file_overwrite}))
"""


def test_production_keeps_media_on_s3_compatible_object_storage():
    import json

    env = _production_env(AWS_S3_ENDPOINT_URL="https://s3.fr-par.example.net")
    result = subprocess.run([sys.executable, "-c", MEDIA_PROBE], cwd=PROJECT, env=_clean_env(**env),
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "backend": "storages.backends.s3.S3Storage", "class": "storages.backends.s3.S3Storage",
        "bucket": "halle-media", "endpoint": "https://s3.fr-par.example.net", "overwrite": False,
    }


def test_the_demo_and_the_tests_keep_media_on_the_file_system():
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    local = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.STORAGES['default']['BACKEND'])"],
        cwd=PROJECT, env=_clean_env(DJANGO_SETTINGS_MODULE="marketplace.config.settings.local"),
        capture_output=True, text=True, timeout=60,
    )
    assert local.returncode == 0, local.stderr
    assert local.stdout.strip().splitlines()[-1] == "django.core.files.storage.FileSystemStorage"

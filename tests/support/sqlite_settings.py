"""The test settings on the embedded demo's database: SQLite in a file, everything else as in tests.

Only for the search tests marked ``sqlite``, which ``tests/marketplace/search/test_on_sqlite.py``
runs again in a subprocess with these settings (``HALLE_SQLITE_TEST_PATH`` names the file):
the demo must search like production. The rest of the suite needs PostgreSQL.
"""
import os

from marketplace.config.settings.test import *

_PATH = os.environ.get("HALLE_SQLITE_TEST_PATH", "/tmp/halle-test-search.sqlite3")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _PATH,
        "TEST": {"NAME": _PATH},
    }
}

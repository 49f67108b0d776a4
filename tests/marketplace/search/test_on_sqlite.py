"""The embedded demo searches like production: the search tests marked ``sqlite`` pass on SQLite too.

The suite runs on PostgreSQL (``marketplace.config.settings.test``); this test
runs the marked tests again in a subprocess with ``tests.support.sqlite_settings``:
a fresh SQLite file built by the real migrations (so the FTS5 index, its view and
its triggers come from migration 0004 and the post-migrate check, as in
``make run``), the relevance set included, plus the SQLite-only checks of
``sqlite_checks.py``. The subprocess's output (precision at 5 on SQLite among
it) is printed here.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def test_search_tests_marked_sqlite_pass_on_the_sqlite_demo_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.sqlite_settings",
        "HALLE_SQLITE_TEST_PATH": str(tmp_path / "search.sqlite3"),
    }
    command = [
        sys.executable, "-m", "pytest", "--ds=tests.support.sqlite_settings", "--create-db",
        "-m", "sqlite", "-q", "-s", "-p", "no:cacheprovider",
        str(HERE), str(HERE / "sqlite_checks.py"),
    ]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=3600, check=False)
    print(result.stdout[-30_000:])
    print(result.stderr[-5_000:], file=sys.stderr)

    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-3_000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary

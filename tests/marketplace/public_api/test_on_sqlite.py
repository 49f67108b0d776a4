"""The public API's bad-parameter tests and the feeds' tests marked ``sqlite`` on the SQLite demo database too, in a
subprocess with ``tests.support.sqlite_settings``, as ``tests/marketplace/search/test_on_sqlite.py``
does for the search: the demo's FTS5 index must refuse nothing with a 500 either."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def test_public_api_tests_marked_sqlite_pass_on_the_sqlite_demo_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.sqlite_settings",
        "HALLE_SQLITE_TEST_PATH": str(tmp_path / "public-api.sqlite3"),
    }
    command = [
        sys.executable, "-m", "pytest", "--ds=tests.support.sqlite_settings", "--create-db",
        "-m", "sqlite", "-q", "-p", "no:cacheprovider", str(HERE / "test_bad_parameters.py"),
        str(HERE.parent / "feeds" / "test_feeds.py"),
    ]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=3600, check=False)
    print(result.stdout[-10_000:])

    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-3_000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary

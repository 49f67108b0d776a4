"""Fixtures of the routing tests. These tests are pure Python: no database, no network."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``shared`` folder beside the repository (CI clones it there).

    A git worktree lives deeper than the main checkout, so every ancestor of the
    repository is tried; ``HALLE_SHARED_DIR`` overrides.
    """
    if env := os.environ.get("HALLE_SHARED_DIR"):
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    for ancestor in repo.parents:
        if (ancestor / "shared" / "data").is_dir():
            return ancestor / "shared"
    pytest.fail(f"No shared/data folder beside {repo} or above it (set HALLE_SHARED_DIR).")

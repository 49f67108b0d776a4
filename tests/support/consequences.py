"""Watching the consequences a change of a shop order calls (``marketplace.order.consequences``)."""
from __future__ import annotations

from unittest import mock

from django.db import transaction

from marketplace.order import consequences


class ConsequenceCalls:
    """Records the keyword arguments of every call to ``consequences.<name>`` (which still runs):
    ``calls`` as they happen, inside the change's transaction; ``committed`` once that
    transaction commits (a rolled-back change leaves nothing there). Safe across threads."""

    def __init__(self, name: str):
        self.name = name
        self.calls: list[dict] = []
        self.committed: list[dict] = []

    def __enter__(self):
        original = getattr(consequences, self.name)

        def spy(**kwargs):
            self.calls.append(kwargs)
            transaction.on_commit(lambda: self.committed.append(kwargs))
            return original(**kwargs)

        self._patch = mock.patch.object(consequences, self.name, spy)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()

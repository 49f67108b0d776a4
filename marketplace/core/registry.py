"""What the domains tell the ground floor about themselves, at start-up.

``marketplace.core`` imports no domain: a domain that core's machinery must know
about registers itself here from its ``AppConfig.ready()``. Two registries so far:

* ``page_cache_namespaces``: cache namespaces (``core.cache``) whose version keys every
  whole page kept by ``core.page_cache`` (the category menu is on every page);
* ``health_figures``: figures the worker health task reports (proof that a worker
  reaches the database), by name, each a function without arguments.
"""
from __future__ import annotations

from collections.abc import Callable


class Registry:
    """Named entries registered once each (registering the same name again replaces it:
    ``ready()`` may run twice in tests)."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, object] = {}

    def register(self, name: str, value: object = None) -> None:
        self._entries[name] = value

    def names(self) -> list[str]:
        return sorted(self._entries)

    def items(self) -> list[tuple[str, object]]:
        return sorted(self._entries.items())


page_cache_namespaces = Registry("espaces de cache qui entrent dans la clé des pages entières")
health_figures = Registry("chiffres du contrôle de santé des workers")


def health_figure_register(name: str, figure: Callable[[], object]) -> None:
    health_figures.register(name, figure)

"""The sections of the manager's space (``/gestion/``), in menu order.

To add a section (delivery, promotions, statistics…), append a ``Section`` to
``SECTIONS`` (or call ``section_register`` from your app's ``ready()``): its URL name,
its label, and the URL namespaces (or ``namespace:url_name``) that mark it current.
The menu shows a section only if its URL resolves, so a section whose app is not
installed simply does not appear.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    #: URL names ("gestion:shops") or namespaces ("payments-manager") that make it current.
    current_for: tuple[str, ...] = ()
    order: int = 100


SECTIONS: list[Section] = [
    Section("today", _("Aujourd'hui"), "gestion:home", ("gestion:home",), order=10),
    Section("shops", _("Commerces"), "gestion:shops",
            ("gestion:shops", "gestion:shop", "gestion:shop-create", "gestion:shop-audit"), order=20),
    Section("applications", _("Candidatures"), "gestion:applications",
            ("gestion:applications", "gestion:application"), order=25),
    Section("content", _("Contenu"), "gestion:content",
            ("gestion:content", "gestion:event-create", "gestion:event-edit", "gestion:town-page",
             "gestion:featured", "gestion:newsletters", "gestion:newsletter"), order=30),
    Section("logistics", _("Logistique"), "gestion:logistics",
            ("gestion:logistics", "gestion:point", "gestion:point-create", "gestion:point-closures",
             "gestion:point-templates", "gestion:point-compartments"), order=40),
    Section("late", _("Retards"), "pickup-manager:late", ("pickup-manager",), order=45),
    Section("plans", _("Commissions"), "gestion:plans", ("gestion:plans", "gestion:plan-edit"), order=50),
    Section("money", _("Argent"), "payments-manager:money", ("payments-manager",), order=55),
    Section("promotions", _("Promotions"), "promotions-manager:campaigns", ("promotions-manager",), order=35),
    Section("statistics", _("Statistiques"), "analytics-manager:statistics", ("analytics-manager", "footfall-manager"),
            order=60),
]


def section_register(section: Section) -> None:
    """Add (or replace, by ``key``) a section of the menu."""
    SECTIONS[:] = [s for s in SECTIONS if s.key != section.key] + [section]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    is_current: bool


def menu_items(*, namespace: str, url_name: str) -> list[MenuItem]:
    """The menu for the page at ``namespace:url_name``, sections in order."""
    here = f"{namespace}:{url_name}"
    items = []
    for section in sorted(SECTIONS, key=lambda s: (s.order, s.key)):
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        current = here in section.current_for or namespace in section.current_for
        items.append(MenuItem(label=str(section.label), url=url, is_current=current))
    return items

"""``{% load halle_text %}``: French plurals, durations.

Django's ``pluralize`` and, without a catalog entry, ``{% blocktrans count %}`` follow
the English rule (« 0 commandes »); French puts 0 and 1 in the singular (« 0 commande »,
« 1 commande », « 2 commandes »). ``{% nplural n _("commande") _("commandes") %}``
says it the French way when the page is in French and leaves other languages to
``ngettext`` (the ``_()`` arguments are picked up by ``makemessages``).
"""
from __future__ import annotations

from django import template
from django.utils.translation import get_language, ngettext

register = template.Library()


@register.simple_tag
def nplural(count, singular: str, plural: str) -> str:
    try:
        number = abs(int(count))
    except (TypeError, ValueError):
        number = 0
    if (get_language() or "fr").startswith("fr"):
        return singular if number < 2 else plural
    return ngettext(singular, plural, number)


@register.filter
def age_fr(delta) -> str:
    """A ``timedelta`` as « 2 j 3 h », « 3 h 05 », « 12 min »."""
    seconds = int(delta.total_seconds()) if delta is not None else 0
    seconds = max(seconds, 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {minutes:02d}"
    return f"{minutes} min"

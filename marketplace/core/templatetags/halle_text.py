"""``{% load halle_text %}``: French plurals.

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

"""``{% load gestion_tags %}``: the manager's menu and small formatting helpers."""
from __future__ import annotations

from django import template

from marketplace.town.navigation import menu_items

register = template.Library()


@register.inclusion_tag("town/_menu.html", takes_context=True)
def gestion_menu(context):
    match = getattr(context.get("request"), "resolver_match", None)
    namespace = match.namespace if match else ""
    url_name = match.url_name if match else ""
    return {"items": menu_items(namespace=namespace, url_name=url_name)}


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

"""``{% load gestion_tags %}``: the manager's menu."""
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


"""``{% category_menu as entries %}``: the top-level categories of the menu, from the cache."""
from django import template

from marketplace.catalogue.menu import category_menu as menu_entries

register = template.Library()


@register.simple_tag
def category_menu():
    return menu_entries()

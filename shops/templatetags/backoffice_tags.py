"""Template helpers of the merchant back-office: ``{% load backoffice_tags %}``."""
from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def price_fr(value) -> str:
    """ "3.50" (a stored decimal string) → "3,50"."""
    return str(value).replace(".", ",")

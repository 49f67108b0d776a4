"""Template helpers of the shoppers' shop pages: ``{% load shop_tags %}``."""
from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shops.html import html_sanitise
from shops.models import Closure

register = template.Library()


@register.filter(name="html_sanitise")
def html_sanitise_filter(value) -> SafeString:
    """Merchant-written HTML reduced to p, br, strong, em, ul, ol, li and a[href]."""
    return mark_safe(html_sanitise(html=str(value or "")))  # noqa: S308 (sanitised just above)


@register.filter(name="phone_display")
def phone_display_filter(value) -> str:
    """A stored phone (E.164, ``+33238123456``) as French people write it: ``02 38 12 34 56``."""
    from shops.validation import phone_display

    return phone_display(str(value or ""))


def _day(value: dt.datetime) -> str:
    return date_format(value, "l j F Y")


def _clock(value: dt.datetime) -> str:
    return f"{value.hour}:{value.minute:02d}"


@register.filter
def closure_period(closure: Closure) -> str:
    """When a closure happens, in French, in the town's time.

    "le lundi 3 août 2026", "du lundi 3 août 2026 au dimanche 9 août 2026",
    "le lundi 3 août 2026 de 14:00 à 19:00", or
    "du lundi 3 août 2026 à 14:00 au mardi 4 août 2026 à 12:00".
    """
    tz = timezone.get_default_timezone()
    start = timezone.localtime(closure.starts_at, tz)
    end = timezone.localtime(closure.ends_at, tz)
    midnight = dt.time(0, 0)
    if start.time() == midnight and end.time() == midnight:
        last_day = end - dt.timedelta(days=1)
        if last_day.date() == start.date():
            return _("le %(day)s") % {"day": _day(start)}
        return _("du %(first)s au %(last)s") % {"first": _day(start), "last": _day(last_day)}
    if start.date() == end.date():
        return _("le %(day)s de %(start)s à %(end)s") % {
            "day": _day(start),
            "start": _clock(start),
            "end": _clock(end),
        }
    return _("du %(first)s à %(start)s au %(last)s à %(end)s") % {
        "first": _day(start),
        "start": _clock(start),
        "last": _day(end),
        "end": _clock(end),
    }


@register.filter
def hours_today(shop) -> str:
    """Today's opening hours of ``shop`` in the town's time, e.g. "9:30–12:30, 14:00–19:00" or "fermé".

    Reads the prefetched ``opening_periods`` (no query with ``shops_listed`` or the product page).
    """
    from shops.selectors import shop_weekly_hours

    today = timezone.localtime(timezone.now(), timezone.get_default_timezone()).weekday()
    return shop_weekly_hours(shop=shop)[today].text

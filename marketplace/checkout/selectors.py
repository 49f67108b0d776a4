"""Read-side helpers of the checkout pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.html import format_html_join

from logistics.models import Slot


@dataclass(frozen=True)
class SlotChoice:
    pk: int
    label: str  # "10h00–11h00", as every page and e-mail writes slot times


@dataclass(frozen=True)
class SlotDay:
    label: str  # "mardi 24 novembre"
    slots: list[SlotChoice]

    def radios(self, *, name: str, id_prefix: str) -> str:
        """The day's radio buttons, built once here: a week of slots is ~100 of them, and
        the template engine spent a third of the page's time on their attributes."""
        return format_html_join(
            "\n",
            '<label class="co-choice" for="{0}-{1}"><input type="radio" id="{0}-{1}" required name="{2}" '
            'value="{1}"> {3}</label>',
            ((id_prefix, slot.pk, name, slot.label) for slot in self.slots),
        )


def slot_days(slots: list[Slot]) -> list[SlotDay]:
    """Slots grouped by day (town time), soonest first, labels in French."""
    tz = timezone.get_default_timezone()
    days: dict[dt.date, list[SlotChoice]] = {}
    for slot in slots:
        start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        days.setdefault(start.date(), []).append(SlotChoice(slot.pk, f"{start:%Hh%M}–{end:%Hh%M}"))
    return [SlotDay(formats.date_format(day, "l j F"), choices) for day, choices in days.items()]

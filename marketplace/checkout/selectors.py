"""Read-side helpers of the checkout pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone

from logistics.models import Slot


@dataclass(frozen=True)
class SlotChoice:
    pk: int
    label: str  # "10:00–11:00"


@dataclass(frozen=True)
class SlotDay:
    label: str  # "mardi 24 novembre"
    slots: list[SlotChoice]


def slot_days(slots: list[Slot]) -> list[SlotDay]:
    """Slots grouped by day (town time), soonest first, labels in French."""
    tz = timezone.get_default_timezone()
    days: dict[dt.date, list[SlotChoice]] = {}
    for slot in slots:
        start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        days.setdefault(start.date(), []).append(SlotChoice(slot.pk, f"{start:%H:%M}–{end:%H:%M}"))
    return [SlotDay(formats.date_format(day, "l j F"), choices) for day, choices in days.items()]

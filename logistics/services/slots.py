"""Generating concrete slots from a point's weekly templates."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from logistics import locks
from logistics.models import CollectionPoint, PointClosure, Slot, SlotTemplate
from logistics.timeutils import town_tz, weekly_occurrences


@dataclass
class SlotsGenerateReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    #: Slots with bookings or holds that templates or closures no longer allow: kept,
    #: flagged ``needs_attention=True``, for the manager to handle.
    needs_attention: list[Slot] = field(default_factory=list)


def slots_generate(
    *, point: CollectionPoint, start_date: dt.date, days: int, now: dt.datetime | None = None
) -> SlotsGenerateReport:
    """Make the point's future slots from ``start_date`` for ``days`` days match its active templates.

    Idempotent: a second run changes nothing. Only slots starting after ``now`` are
    considered (past slots are history). A slot without bookings or holds is
    created, updated (end, capacity) or deleted (no template any more, or an
    exceptional closure of the point overlaps it). A slot with bookings or holds is
    never deleted, nor moved; its capacity follows its template only while its
    bookings and holds still fit. Otherwise, when templates or closures disagree with
    it, it is flagged ``needs_attention`` (no longer offered) and returned in the report. A
    flagged slot that templates allow again is unflagged.

    Wall-clock template times that do not exist (the spring DST gap) make no slot.
    """
    if days < 0:
        raise ValueError("Le nombre de jours doit être positif.")
    now = now or timezone.now()
    tz = town_tz()
    window_start = dt.datetime.combine(start_date, dt.time.min, tzinfo=tz)
    window_end = dt.datetime.combine(start_date + dt.timedelta(days=days), dt.time.min, tzinfo=tz)
    report = SlotsGenerateReport()

    with transaction.atomic():
        point = locks.point_lock(point_id=point.pk)
        templates = list(SlotTemplate.objects.filter(point=point, is_active=True)) if point.is_active else []
        closures = list(
            PointClosure.objects.filter(point=point, starts_at__lt=window_end, ends_at__gt=window_start).values_list(
                "starts_at", "ends_at"
            )
        )
        wanted: dict[dt.datetime, tuple[dt.datetime, int]] = {}
        for template, starts_at, ends_at in weekly_occurrences(templates, start_date=start_date, days=days, now=now, tz=tz):
            if any(c_start < ends_at and starts_at < c_end for c_start, c_end in closures):
                continue
            wanted[starts_at.astimezone(dt.UTC)] = (ends_at.astimezone(dt.UTC), template.capacity)

        existing_ids = Slot.objects.filter(
            point=point, starts_at__gte=max(window_start, now), starts_at__lt=window_end
        ).values_list("pk", flat=True)
        existing = locks.slots_lock(slot_ids=list(existing_ids))
        to_delete: list[int] = []
        for slot in sorted(existing.values(), key=lambda s: s.starts_at):
            target = wanted.pop(slot.starts_at, None)
            if target is not None and (slot.ends_at, slot.capacity) == target:
                if slot.needs_attention:
                    slot.needs_attention = False
                    slot.save(update_fields=["needs_attention"])
                    report.updated += 1
                continue
            if (
                slot.has_bookings
                and target is not None
                and target[0] == slot.ends_at
                and target[1] >= slot.booked + slot.held
            ):
                # Only the capacity changed and the bookings still fit: the CheckConstraint
                # holds under this slot's lock, so the new capacity applies.
                slot.capacity, slot.needs_attention = target[1], False
                slot.save(update_fields=["capacity", "needs_attention"])
                report.updated += 1
                continue
            if slot.has_bookings:
                if not slot.needs_attention:
                    slot.needs_attention = True
                    slot.save(update_fields=["needs_attention"])
                report.needs_attention.append(slot)
            elif target is None:
                to_delete.append(slot.pk)
            else:
                slot.ends_at, slot.capacity = target
                slot.needs_attention = False
                slot.save(update_fields=["ends_at", "capacity", "needs_attention"])
                report.updated += 1
        if to_delete:
            report.removed = Slot.objects.filter(pk__in=to_delete, booked=0, held=0).delete()[1].get(
                Slot._meta.label, 0
            )
        Slot.objects.bulk_create(
            [
                Slot(point=point, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
                for starts_at, (ends_at, capacity) in sorted(wanted.items())
            ]
        )
        report.created = len(wanted)
    return report


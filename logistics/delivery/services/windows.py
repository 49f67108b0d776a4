"""Delivery windows from their templates, and their capacity from the shifts.

A window's capacity is the sum of the parcel capacity of the vehicles on shift for it —
never typed in. Every shift change goes through ``shift_add``/``shift_remove``, which lock
the window (``logistics.locks``), write the shift and recompute the capacity in the same
transaction; a change leaving less room than is booked keeps every booking and flags the
window ``needs_attention`` (listed on the manager's page).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import locks
from logistics.delivery.models import (
    Courier,
    DeliveryWindow,
    DeliveryWindowTemplate,
    Shift,
    Vehicle,
)
from logistics.timeutils import town_tz, weekly_occurrences


class RosterError(Exception):
    """A shift change refused; ``message`` is French, for the manager."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class WindowsGenerateReport:
    created: int = 0
    removed: int = 0
    kept: int = 0


def windows_generate(*, start_date: dt.date, days: int, now: dt.datetime | None = None) -> WindowsGenerateReport:
    """Make the windows from ``start_date`` for ``days`` days match the active templates; idempotent.

    A missing window is created (capacity 0 until couriers are put on shift); a window
    whose template is no longer active is deleted when it has no booking and no shift,
    else kept and flagged ``needs_attention`` (unflagged when the template is active again
    and the roster holds its bookings). Past windows are history and untouched. A
    template's new hours apply to the windows not yet generated.
    """
    now = now or timezone.now()
    tz = town_tz()
    report = WindowsGenerateReport()
    templates = list(DeliveryWindowTemplate.objects.all())
    with transaction.atomic():
        for template, starts_at, ends_at in weekly_occurrences(templates, start_date=start_date, days=days, now=now, tz=tz):
            if template.is_active:
                window, created = DeliveryWindow.objects.get_or_create(
                    template=template, starts_at=starts_at,
                    defaults={"ends_at": ends_at,
                              "cutoff_at": starts_at - dt.timedelta(minutes=template.cutoff_minutes)},
                )
                report.created += int(created)
                if window.needs_attention:  # its template is active again: flagged only if over capacity
                    window_capacity_recompute(window=locks.delivery_windows_lock(window_ids=[window.pk])[window.pk])
                continue
            stale = DeliveryWindow.objects.filter(template=template, starts_at=starts_at).first()
            if stale is None:
                continue
            window = locks.delivery_windows_lock(window_ids=[stale.pk])[stale.pk]
            if window.booked or window.held or window.shifts.exists():
                if not window.needs_attention:
                    window.needs_attention = True
                    window.save(update_fields=["needs_attention"])
                report.kept += 1
            else:
                window.delete()
                report.removed += 1
    return report


def _capacity_of(window_id: int) -> int:
    return Shift.objects.filter(window_id=window_id).aggregate(n=Sum("vehicle__capacity_parcels"))["n"] or 0


def window_capacity_recompute(*, window: DeliveryWindow) -> DeliveryWindow:
    """Under the window's lock (caller's transaction): capacity from its shifts, flag when over."""
    window.capacity = _capacity_of(window.pk)
    over = window.booked + window.held > window.capacity
    template_off = not DeliveryWindowTemplate.objects.filter(pk=window.template_id, is_active=True).exists()
    window.needs_attention = over or template_off
    window.save(update_fields=["capacity", "needs_attention"])
    return window


def shift_add(*, window_id: int, courier: Courier, vehicle: Vehicle) -> Shift:
    """Put ``courier`` with ``vehicle`` on ``window``: its capacity grows by the vehicle's parcels."""
    if not courier.is_active:
        raise RosterError(_("Ce coursier n'est plus actif."))
    if not vehicle.is_active:
        raise RosterError(_("Ce véhicule n'est plus en service."))
    with transaction.atomic():
        window = locks.delivery_windows_lock(window_ids=[window_id]).get(window_id)
        if window is None:
            raise RosterError(_("Cette fenêtre de livraison n'existe pas."))
        if window.ends_at <= timezone.now():
            raise RosterError(_("Cette fenêtre de livraison est passée."))
        busy = Shift.objects.filter(courier=courier, window__starts_at__lt=window.ends_at,
                                    window__ends_at__gt=window.starts_at).exists()
        if busy:
            raise RosterError(_("Ce coursier est déjà en service sur une fenêtre à la même heure."))
        taken = Shift.objects.filter(vehicle=vehicle, window__starts_at__lt=window.ends_at,
                                     window__ends_at__gt=window.starts_at).exists()
        if taken:
            raise RosterError(_("Ce véhicule est déjà utilisé sur une fenêtre à la même heure."))
        try:
            with transaction.atomic():
                shift = Shift.objects.create(window=window, courier=courier, vehicle=vehicle)
        except IntegrityError:
            raise RosterError(_("Ce coursier ou ce véhicule est déjà en service sur cette fenêtre.")) from None
        window_capacity_recompute(window=window)
    return shift


def shift_remove(*, shift_id: int) -> DeliveryWindow:
    """Take a shift off its window; the capacity shrinks, bookings are all kept (window flagged if over)."""
    with transaction.atomic():
        window_id = Shift.objects.filter(pk=shift_id).values_list("window_id", flat=True).first()
        if window_id is None:
            raise RosterError(_("Ce service n'existe plus."))
        window = locks.delivery_windows_lock(window_ids=[window_id])[window_id]
        Shift.objects.filter(pk=shift_id).delete()
        return window_capacity_recompute(window=window)


def vehicle_capacity_changed(*, vehicle: Vehicle) -> int:
    """A vehicle's capacity changed: recompute the coming windows it rides; returns how many."""
    with transaction.atomic():
        ids = list(Shift.objects.filter(vehicle=vehicle, window__ends_at__gt=timezone.now())
                   .values_list("window_id", flat=True))
        for window in locks.delivery_windows_lock(window_ids=ids).values():
            window_capacity_recompute(window=window)
    return len(ids)

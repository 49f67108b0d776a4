"""``/gestion/livraison/``: zones, window templates, couriers, vehicles, shifts, the coming windows.

Town staff only (``manager_view``: anonymous → login, others → 403). Writes go through
``logistics.delivery.services``; a window's capacity only changes through its shifts.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from logistics.delivery import forms
from logistics.delivery.models import Courier, DeliveryWindow, DeliveryWindowTemplate, DeliveryZone, Shift, Vehicle
from logistics.delivery.selectors import windows_coming
from logistics.delivery.services import fleet, windows
from marketplace.core.manager import manager_view


@manager_view
@require_http_methods(["GET", "POST"])
def overview(request):
    """Zones, and the coming windows with their capacity used and left, per zone."""
    now = timezone.now()
    if request.method == "POST" and request.POST.get("action") == "generate":
        report = windows.windows_generate(start_date=timezone.localdate(), days=settings.HALLE_SLOT_DAYS_AHEAD)
        messages.success(request, _("Fenêtres : %(created)d créée(s), %(removed)d supprimée(s), %(kept)d gardée(s) "
                                    "à traiter.") % {"created": report.created, "removed": report.removed,
                                                      "kept": report.kept})
        return redirect("delivery-manager:overview")
    zones = list(DeliveryZone.objects.select_related("depot").order_by("name", "pk"))
    coming = list(windows_coming(now=now))
    by_zone = []
    for zone in zones:
        rows = [w for w in coming if any(z.pk == zone.pk for z in w.template.zones.all())]
        by_zone.append((zone, rows))
    map_zones = [{"name": z.name, "lat": float(z.center_latitude), "lon": float(z.center_longitude),
                  "radius": z.radius_m or 0, "polygon": z.polygon,
                  "left": sum(w.remaining for w in rows), "booked": sum(w.booked for w in rows)}
                 for z, rows in by_zone if z.center_latitude is not None and z.center_longitude is not None]
    return render(request, "delivery/manager/overview.html", {
        "zones": zones, "by_zone": by_zone, "attention": [w for w in coming if w.needs_attention],
        "map_zones": map_zones, "map_tile_url": settings.HALLE_MAP_TILE_URL,
        "map_attribution": settings.HALLE_MAP_ATTRIBUTION,
    })


def _zone_page(request, form, zone=None, status=200):
    return render(request, "delivery/manager/zone_form.html", {"form": form, "zone": zone}, status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def zone_edit(request, zone_pk=None):
    zone = get_object_or_404(DeliveryZone, pk=zone_pk) if zone_pk else None
    form = forms.ZoneForm(request.POST or None, request.FILES or None, instance=zone)
    if request.method == "POST":
        if request.POST.get("action") == "delete" and zone is not None:
            try:
                zone.delete()
            except ProtectedError:
                messages.error(request, _("Cette zone a des livraisons : désactivez-la plutôt que de la supprimer."))
                return redirect("delivery-manager:zone", zone_pk=zone.pk)
            messages.success(request, _("Zone supprimée."))
            return redirect("delivery-manager:overview")
        if not form.is_valid():
            return _zone_page(request, form, zone, status=400)
        saved = form.save()
        messages.success(request, _("Zone « %(name)s » enregistrée.") % {"name": saved.name})
        return redirect("delivery-manager:overview")
    return _zone_page(request, form, zone)


@manager_view
@require_http_methods(["GET", "POST"])
def templates(request, template_pk=None):
    template = get_object_or_404(DeliveryWindowTemplate, pk=template_pk) if template_pk else None
    form = forms.WindowTemplateForm(request.POST or None, instance=template)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Modèle de fenêtre enregistré. Générez les fenêtres pour l'appliquer."))
            return redirect("delivery-manager:templates")
        status = 400
    rows = DeliveryWindowTemplate.objects.prefetch_related("zones").order_by("weekday", "start")
    return render(request, "delivery/manager/templates.html", {"form": form, "rows": rows, "template": template},
                  status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def couriers(request):
    form = forms.CourierForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("deactivate"):
            courier = get_object_or_404(Courier, pk=request.POST["deactivate"])
            fleet.courier_deactivate(courier=courier)
            messages.success(request, _("%(name)s n'est plus coursier.") % {"name": courier})
            return redirect("delivery-manager:couriers")
        if form.is_valid():
            try:
                fleet.courier_create(**form.cleaned_data)
            except ValidationError as error:
                form.add_error("phone" if "téléphone" in " ".join(error.messages) else None, error.messages)
            else:
                messages.success(request, _("Coursier ajouté."))
                return redirect("delivery-manager:couriers")
        status = 400
    rows = Courier.objects.select_related("user").order_by("-is_active", "user__last_name")
    return render(request, "delivery/manager/couriers.html", {"form": form, "rows": rows}, status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def vehicles(request, vehicle_pk=None):
    vehicle = get_object_or_404(Vehicle, pk=vehicle_pk) if vehicle_pk else None
    form = forms.VehicleForm(request.POST or None, instance=vehicle)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            if vehicle is not None:
                windows.vehicle_capacity_changed(vehicle=saved)
            messages.success(request, _("Véhicule enregistré."))
            return redirect("delivery-manager:vehicles")
        status = 400
    rows = Vehicle.objects.order_by("-is_active", "name")
    return render(request, "delivery/manager/vehicles.html", {"form": form, "rows": rows, "vehicle": vehicle},
                  status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def window(request, window_pk):
    """One window: its shifts (the capacity they give), add or remove one."""
    win = get_object_or_404(DeliveryWindow.objects.select_related("template"), pk=window_pk)
    form = forms.ShiftForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                shift = get_object_or_404(Shift, pk=request.POST["remove"], window=win)
                windows.shift_remove(shift_id=shift.pk)
                messages.success(request, _("Service retiré ; aucune livraison réservée n'est perdue."))
                return redirect("delivery-manager:window", window_pk=win.pk)
            if form.is_valid():
                windows.shift_add(window_id=win.pk, **form.cleaned_data)
                messages.success(request, _("Service ajouté."))
                return redirect("delivery-manager:window", window_pk=win.pk)
        except windows.RosterError as refused:
            form.add_error(None, refused.message)
        status = 400
        win.refresh_from_db()
    shifts = win.shifts.select_related("courier__user", "vehicle").order_by("pk")
    bookings = win.bookings.filter(status="converted").select_related("order").order_by("pk")
    return render(request, "delivery/manager/window.html", {"window": win, "form": form, "shifts": shifts,
                                                             "bookings": bookings}, status=status)

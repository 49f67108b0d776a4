"""The courier's pages (phone first): today's rounds, a round's manifest, the stop actions.

Only couriers (403 for anyone else signed in); a round or stop that is not the courier's own
answers 404, exactly as one that does not exist. The actions are POSTs that call
``services.stops``; a refusal is a French message and changes nothing.
"""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from logistics.delivery.backoffice import parcel_code
from logistics.delivery.exceptions import RoundActionRefused, RoundNotFound
from logistics.delivery.models import FailureReason, RoundStop
from logistics.delivery.selectors import courier_of, courier_rounds, round_manifest
from logistics.delivery.services import stops as stop_services
from marketplace.order.exceptions import OrderError


def courier_required(view):
    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        courier = courier_of(user=request.user)
        if courier is None:
            raise PermissionDenied("Ces pages sont réservées aux coursiers de la ville.")
        request.courier = courier
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _geo(lat, lon, label: str) -> dict:
    return {"geo": f"geo:{lat},{lon}?q={lat},{lon}({quote(label)})",
            "osm": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"}


def _stop_view(stop: RoundStop) -> dict:
    """What the courier reads at a stop: the place, who, which parcels."""
    booking = stop.booking
    order = booking.order
    parts = [stop.shop_order] if stop.shop_order_id else [p for p in order.shop_orders.all() if p.status != "cancelled"]
    if stop.kind == "pickup":
        shop = stop.shop_order.shop
        place = {"title": shop.name, "lines": [shop.address] if shop.address else [],
                 **_geo(shop.latitude, shop.longitude, shop.name)}
    else:
        name = order.user.get_full_name() if order.user_id else ""
        place = {"title": name or order.email, "phone": order.contact_phone, "lines": booking.address_lines,
                 **_geo(booking.latitude, booking.longitude, booking.street)}
    return {"stop": stop, "order": order, "booking": booking, "place": place,
            "parcels": [{"code": parcel_code(p), "shop": p.shop.name, "status": p.get_status_display()} for p in parts]}


@courier_required
def home(request):
    """The signed-in courier's rounds of today and the coming days."""
    return render(request, "delivery/courier/home.html",
                  {"rounds": courier_rounds(courier=request.courier, now=timezone.now())})


@courier_required
def round_detail(request, round_pk: int):
    """The manifest: the ordered stops with the address, the window, the parcels, the actions."""
    round_ = round_manifest(round_id=round_pk, user=request.user)
    if round_ is None:
        raise Http404("Tournée introuvable.")
    return render(request, "delivery/courier/round.html", {
        "round": round_, "stops": [_stop_view(stop) for stop in round_.stops.all()],
        "reasons": FailureReason.choices,
    })


def _act(request, action, *, round_pk: int | None = None, stop_pk: int | None = None, **kwargs):
    try:
        if round_pk is not None:
            action(round_id=round_pk, user=request.user, **kwargs)
        else:
            stop = action(stop_id=stop_pk, user=request.user, **kwargs)
            round_pk = stop.round_id
        messages.success(request, "C'est enregistré.")
    except (RoundNotFound, RoundStop.DoesNotExist) as error:
        raise Http404("Tournée introuvable.") from error
    except (RoundActionRefused, OrderError) as error:
        messages.error(request, str(error))
        if round_pk is None:
            round_pk = RoundStop.objects.filter(pk=stop_pk, round__courier__user=request.user).values_list(
                "round_id", flat=True).first()
            if round_pk is None:
                raise Http404("Tournée introuvable.") from error
    return redirect("courier:round", round_pk=round_pk)


@require_POST
@courier_required
def round_start_view(request, round_pk: int):
    from logistics.delivery.models import Round

    try:
        return _act(request, stop_services.round_start, round_pk=round_pk)
    except Round.DoesNotExist as error:
        raise Http404("Tournée introuvable.") from error


@require_POST
@courier_required
def stop_deliver_view(request, stop_pk: int):
    return _act(request, stop_services.stop_deliver, stop_pk=stop_pk,
                received_by=request.POST.get("received_by", ""), note=request.POST.get("note", ""))


@require_POST
@courier_required
def stop_fail_view(request, stop_pk: int):
    return _act(request, stop_services.stop_fail, stop_pk=stop_pk,
                reason=request.POST.get("reason", ""), note=request.POST.get("note", ""))


@require_POST
@courier_required
def stop_pickup_view(request, stop_pk: int):
    return _act(request, stop_services.stop_pickup_done, stop_pk=stop_pk, note=request.POST.get("note", ""))

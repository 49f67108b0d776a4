"""Pages of pickup: the shopper's order status (tokenised link), the handover page of
collection-point staff and of merchants at their counter, merchants' drops at the point,
their "take back" list, and a simulated locker keypad.

Every handover page answers a wrong code with a French message (200), too many wrong
codes with 429, never a 500; another point's or shop's order is simply "nothing to
hand over here".
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from logistics.lockers import LockerError
from logistics.models import CollectionPoint, PointKind
from marketplace.order.exceptions import OrderError
from marketplace.order.models import Order
from logistics.pickup.forms import CodeForm
from logistics.pickup.models import Handover, PointStaff, ReturnTask
from logistics.pickup.qr import qr_svg_inline
from logistics.pickup.ratelimit import TooManyAttempts, client_ip
from logistics.pickup.selectors import order_for_pickup_get, order_pickup_summary, points_of_staff
from logistics.pickup.services.cancellation import order_cancel_by_shopper
from logistics.pickup.services.returns import return_task_done
from logistics.pickup.services.handover import (
    Place,
    handover_collect,
    handover_find,
    locker_code_enter,
    place_of_shop,
    shop_order_drop_at_point,
    shop_orders_to_drop,
)
from logistics.pickup.tokens import order_status_path, order_status_token_check
from shops.backoffice.access import backoffice_view


# --- shopper ------------------------------------------------------------------------


def _order_from_link(number: str, token: str) -> Order:
    if not order_status_token_check(order_number=number, token=token):
        raise Http404("Commande introuvable.")
    try:
        return order_for_pickup_get(number=number)
    except Order.DoesNotExist:
        raise Http404("Commande introuvable.") from None


@never_cache  # the pickup code and its QR code: no copy in the browser's or a proxy's cache
@require_http_methods(["GET"])
def order_status(request, number: str, token: str):
    """The order's pickup code, QR code, slot, place and the state of each shop part.

    The token is an HMAC of the order number: a wrong or tampered link is a 404,
    never a hint that the order exists.
    """
    order = _order_from_link(number, token)
    summary = order_pickup_summary(order=order)
    return render(request, "pickup/order_status.html", {
        "order": order,
        "summary": summary,
        "qr_svg": qr_svg_inline(summary.code) if summary.code_open else "",
        "cancel_url": reverse("pickup:order-cancel", kwargs={"number": number, "token": token}),
        "delivery_change_url": reverse("delivery:order-change", kwargs={"number": number, "token": token})
        if summary.delivery else "",
    })


@require_http_methods(["POST"])
def order_status_cancel(request, number: str, token: str):
    order = _order_from_link(number, token)
    try:
        order_cancel_by_shopper(order=order, link_verified=True)
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Votre commande n° {order.number} est annulée. Vous ne serez pas débité.")
    return redirect(order_status_path(order_number=order.number))


# --- handover -----------------------------------------------------------------------


def _handover(request, *, place: Place, template: str, extra: dict):
    """GET: the code field. POST ``find``: what to hand over. POST ``collect``: mark it collected."""
    form = CodeForm(request.POST or None)
    context = {"form": form, "place": place, "candidate": None, **extra}
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            if request.POST.get("action") == "collect":
                handover = handover_collect(
                    place=place, user=request.user, code_text=form.cleaned_data["code"],
                    shop_order_ids=request.POST.getlist("parts"), ip=ip,
                )
                shops = ", ".join(part["shop"] for part in handover.parts)
                messages.success(
                    request,
                    f"Commande n° {handover.order.number} remise ({shops})"
                    + ("." if handover.complete else " — d'autres parts restent à remettre."),
                )
                return redirect(request.path)
            context["candidate"] = handover_find(
                place=place, user=request.user, code_text=form.cleaned_data["code"], ip=ip
            )
        except TooManyAttempts as error:
            form.add_error("code", error.message)
            status = 429
        except (OrderError, LockerError) as error:
            form.add_error("code", str(error))
    context["recent"] = (
        Handover.objects.filter(point=place.point).select_related("order", "by_user").order_by("-at")[:10]
    )
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
def point_choose(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("customer:login"))
    points = points_of_staff(user=request.user)
    if not points:
        raise PermissionDenied("Vous ne faites partie de l'équipe d'aucun point de retrait.")
    if len(points) == 1:
        return redirect("pickup:point-handover", point_id=points[0].pk)
    return render(request, "pickup/point_choose.html", {"points": points})


@require_http_methods(["GET", "POST"])
def point_handover(request, point_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("customer:login"))
    link = PointStaff.objects.filter(user=request.user, point_id=point_id, point__is_active=True).select_related("point")
    link = link.first()
    if link is None:
        raise PermissionDenied("Vous ne faites pas partie de l'équipe de ce point de retrait.")
    from django.utils import timezone

    from logistics.pickup.selectors import point_expected_today, point_parcels_waiting

    now = timezone.now()
    return _handover(request, place=Place(point=link.point), template="pickup/point_handover.html", extra={
        "expected": point_expected_today(point=link.point, now=now),
        "waiting": point_parcels_waiting(point=link.point, now=now),
        "now": now,
    })


@backoffice_view
@require_http_methods(["GET", "POST"])
def counter_handover(request):
    return _handover(request, place=place_of_shop(shop=request.shop), template="pickup/counter_handover.html",
                     extra={})


@backoffice_view
@require_http_methods(["GET", "POST"])
def counter_drops(request):
    """The shop's parcels to bring to a collection point or locker; "déposé" when handed in."""
    if request.method == "POST":
        try:
            result = shop_order_drop_at_point(
                shop=request.shop, user=request.user, shop_order_id=request.POST.get("shop_order")
            )
        except OrderError as error:
            messages.error(request, str(error))
        else:
            where = result.placement.location if result.placement else "au comptoir"
            text = f"Commande n° {result.shop_order.order.number} déposée {result.shop_order.collection_point.at_phrase} : {where}."
            if result.door_opened:
                text += " La porte du casier est ouverte : déposez le colis et refermez-la."
            messages.success(request, text)
            if result.door_error:
                messages.error(request, result.door_error)
        return redirect("pickup:counter-drops")
    return render(request, "pickup/counter_drops.html", {"parts": shop_orders_to_drop(shop=request.shop)})


@backoffice_view
@require_http_methods(["GET", "POST"])
def counter_returns(request):
    """Goods of orders nobody collected, to take back from the point (or put back on the shelves)."""
    tasks = ReturnTask.objects.filter(shop=request.shop)
    if request.method == "POST":
        try:
            task = return_task_done(shop=request.shop, user=request.user, task_id=request.POST.get("task"))
        except OrderError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Marchandise de la commande n° {task.order.number} reprise.")
        return redirect("pickup:counter-returns")
    return render(request, "pickup/counter_returns.html", {
        "open_tasks": tasks.filter(done_at__isnull=True).select_related("order", "point").order_by("created_at"),
        "done_tasks": tasks.filter(done_at__isnull=False).select_related("order", "done_by").order_by("-done_at")[:20],
    })


# --- locker keypad (simulated) ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def locker_keypad(request, point_id: int):
    """The keypad of a locker bank: the shopper types the code, the compartment opens.

    With real hardware the bank's controller calls the same service; this page
    stands in for it in the demo.
    """
    point = get_object_or_404(CollectionPoint, pk=point_id, kind=PointKind.LOCKER_BANK, is_active=True)
    form = CodeForm(request.POST or None)
    opened = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            handover = locker_code_enter(point=point, code_text=form.cleaned_data["code"], ip=client_ip(request))
        except TooManyAttempts as error:
            form.add_error("code", error.message)
            status = 429
        except (OrderError, LockerError) as error:
            form.add_error("code", str(error))
        else:
            opened = handover.parts[0].get("location", "") if handover.parts else ""
            form = CodeForm()
        # Like a real keypad, the field starts empty again: the page never echoes what was
        # typed, so every code that opens nothing gets the very same page.
        form.data = form.data.copy()
        form.data["code"] = ""
    return render(request, "pickup/locker_keypad.html", {"point": point, "form": form, "opened": opened},
                  status=status)

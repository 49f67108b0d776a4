"""The merchant's "Commandes à préparer": this shop's parts of orders, grouped by slot.

Same rules as the rest of the back-office (``backoffice_view``): a part, a slot
or a line is always looked up within ``request.shop``, so another shop's id is a
404. Every change goes through ``marketplace.order.services`` (which checks
again that the user is staff of that shop, and the transition).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from logistics.delivery.backoffice import delivery_queue
from marketplace.order import selectors, services
from marketplace.order.exceptions import OrderError
from marketplace.order.models import FulfilmentMode, ShopOrder, ShopOrderStatus
from marketplace.payments.selectors import shop_town_discount_cents
from shops.backoffice.forms import OrderHistoryForm
from shops.backoffice.access import backoffice_view

S = ShopOrderStatus
HISTORY_PER_PAGE = 25

#: action → (service, message once done); "drop" and "collect" go through pickup (``_drop``, ``_collect``)
STEPS = {
    "accept": (services.shop_order_accept, "Commande {number} acceptée."),
    "prepare": (services.shop_order_prepare, "Préparation de la commande {number} commencée."),
    "ready": (services.shop_order_ready, "Commande {number} prête."),
    "cancel": (services.shop_order_cancel, "Commande {number} annulée : les articles reviennent en stock."),
}


def _part_or_404(request, shop_order_pk: int) -> ShopOrder:
    try:
        return selectors.shop_order_of_shop_get(shop=request.shop, shop_order_id=shop_order_pk)
    except ShopOrder.DoesNotExist:
        raise Http404("Commande inconnue.") from None


def _next_steps(part: ShopOrder) -> list[tuple[str, str]]:
    """(action, button label) the merchant can do now, the main one first."""
    at_shop = part.order.fulfilment_mode == FulfilmentMode.AT_SHOPS
    return {
        S.NEW: [("accept", "Accepter la commande")],
        S.ACCEPTED: [("prepare", "Commencer la préparation")],
        S.PREPARING: [("ready", "Marquer prête")],
        S.READY: [("collect", "Remise au client")] if at_shop else [("drop", "Déposée au point de retrait")],
    }.get(part.status, [])


@backoffice_view
@require_GET
def orders(request):
    groups = selectors.shop_orders_queue(shop=request.shop)
    return render(request, "backoffice/orders.html", {
        "groups": groups, "now": timezone.now(), "delivery_groups": delivery_queue(shop=request.shop),
    })


@backoffice_view
@require_GET
def orders_history(request):
    """Every order of the shop, newest first, searchable (number, customer, dates, status), paged."""
    form = OrderHistoryForm(request.GET)
    form.is_valid()
    parts = selectors.shop_orders_history(shop=request.shop, **form.filters())
    page = Paginator(parts, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/orders_history.html", {
        "form": form, "page_obj": page, "parts": page.object_list, "query": query.urlencode(),
        "filtered": any(form.filters().values()),
    })


@backoffice_view
def order_detail(request, shop_order_pk: int):
    part = _part_or_404(request, shop_order_pk)  # looked up first: another shop's id is a 404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "backoffice/order_detail.html", {
        "part": part,
        "lines": list(part.lines.all()),
        "steps": _next_steps(part),
        "can_remove_items": part.status in (S.NEW, S.ACCEPTED, S.PREPARING),
        "can_cancel": part.status in (S.NEW, S.ACCEPTED, S.PREPARING),
        # The shopper pays the part's amount; the town's promotions pay the shop the rest.
        "town_discount_cents": 0 if part.status == S.CANCELLED else shop_town_discount_cents(
            order=part.order, shop_id=part.shop_id),
    })


@backoffice_view
def order_step(request, shop_order_pk: int):
    part = _part_or_404(request, shop_order_pk)  # looked up first: another shop's id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    if action == "drop":
        return _drop(request, part)
    if action == "collect":
        return _collect(request, part)
    step = STEPS.get(action)
    if step is None:
        messages.error(request, "Action inconnue : rechargez la page.")
        return redirect("backoffice:order-detail", shop_order_pk=part.pk)
    service, done = step
    try:
        service(shop_order=part, user=request.user)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done.format(number=part.order.number))
    return redirect("backoffice:order-detail", shop_order_pk=part.pk)


def _collect(request, part: ShopOrder):
    """Through pickup's one handover service: the shopper's code is checked (wrong codes are
    counted against the person and the address) and the handover is audited."""
    from logistics.pickup.ratelimit import TooManyAttempts, client_ip
    from logistics.pickup.services.handover import handover_collect, place_of_shop

    try:
        handover_collect(place=place_of_shop(shop=request.shop), user=request.user,
                         code_text=request.POST.get("code", ""), shop_order_ids=[part.pk], ip=client_ip(request))
    except (OrderError, TooManyAttempts) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Commande {part.order.number} remise au client.")
    return redirect("backoffice:order-detail", shop_order_pk=part.pk)


def _drop(request, part: ShopOrder):
    """Through pickup's drop: the parcel's shelf or compartment is named, a locker door opens."""
    from logistics.pickup.services.handover import shop_order_drop_at_point

    try:
        result = shop_order_drop_at_point(shop=request.shop, user=request.user, shop_order_id=part.pk)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        where = f" : {result.placement.location}" if result.placement else ""
        text = f"Commande {part.order.number} déposée au point de retrait{where}."
        if result.door_opened:
            text += " La porte du casier est ouverte : déposez le colis et refermez-la."
        messages.success(request, text)
        if result.door_error:
            messages.error(request, result.door_error)
    return redirect("backoffice:order-detail", shop_order_pk=part.pk)


@backoffice_view
def order_unavailable(request, shop_order_pk: int):
    part = _part_or_404(request, shop_order_pk)  # looked up first: another shop's id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    quantities = {}
    for key, value in request.POST.items():
        if not key.startswith("line-"):
            continue
        value = value.strip()
        if value in ("", "0"):
            continue
        quantities[key.removeprefix("line-")] = value
    try:
        part = services.shop_order_lines_unavailable(shop_order=part, user=request.user, quantities=quantities)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        if part.status == S.CANCELLED:
            messages.success(request, f"Commande {part.order.number} annulée : plus aucun article à préparer.")
        else:
            messages.success(request, f"Commande {part.order.number} : articles retirés, le client est prévenu.")
    return redirect("backoffice:order-detail", shop_order_pk=part.pk)


@backoffice_view
def picking_list(request, slot_pk: int):
    """Printable: every part of this shop to prepare for one slot, with its lines."""
    groups = selectors.shop_orders_queue(shop=request.shop, slot_id=slot_pk)
    if not groups:
        raise Http404("Aucune commande à préparer pour ce créneau.")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "backoffice/picking_list.html", {"group": groups[0]})

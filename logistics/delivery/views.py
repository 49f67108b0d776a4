"""Shopper's page to change a delivered order's address or window (the order's tokenised link)."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from logistics.delivery.models import DeliveryBooking
from logistics.delivery.services.changes import delivery_change_windows, delivery_order_change
from logistics.pickup.tokens import order_status_path
from marketplace.checkout.delivery_forms import DeliveryForm
from logistics.delivery.selectors import window_label
from marketplace.order.exceptions import OrderError


def _order(number: str, token: str):
    from logistics.pickup.views import _order_from_link

    return _order_from_link(number, token)


class ChangeForm(DeliveryForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "phone"):
            self.fields.pop(name, None)


@never_cache
@require_http_methods(["GET", "POST"])
def order_delivery_change(request, number: str, token: str):
    order = _order(number, token)
    booking = DeliveryBooking.objects.select_related("window", "zone").filter(order=order).first()
    if booking is None:
        return redirect(order_status_path(order_number=order.number))
    initial = {"street": booking.street, "postcode": booking.postcode, "town": booking.town,
               "complement": booking.complement, "instructions": booking.instructions}
    form = ChangeForm(request.POST or None, initial=initial)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                delivery_order_change(order=order, user=user, window_id=request.POST.get("window"),
                                      **form.address())
            except OrderError as refused:
                error, status = str(refused), 400
            else:
                messages.success(request, _("Votre livraison est modifiée."))
                return redirect(order_status_path(order_number=order.number))
        else:
            status = 400
    windows = [(w.pk, window_label(w)) for w in delivery_change_windows(order=order, zone=booking.zone,
                                                                         now=timezone.now())]
    return render(request, "delivery/order_change.html", {
        "order": order, "booking": booking, "form": form, "windows": windows, "error": error,
        "chosen": request.POST.get("window") or str(booking.window_id),
        "status_url": order_status_path(order_number=order.number),
    }, status=status)

"""The manager's « planifier maintenant » for a window past its cut-off (``/gestion/livraison/``).

The planning itself runs in the Celery task (the solver's budget is off the request path;
in the demo, tasks run in-process). A window not yet closed, or already planned, is refused
with a French message and nothing is queued.
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.delivery.models import DeliveryWindow
from logistics.delivery.tasks import delivery_window_rounds_plan_task
from marketplace.core.manager import manager_view


@manager_view
@require_POST
def window_plan(request, window_pk):
    win = get_object_or_404(DeliveryWindow, pk=window_pk)
    if win.planned_at is not None:
        messages.error(request, _("Les tournées de cette fenêtre sont déjà planifiées."))
    elif win.cutoff_at > timezone.now():
        messages.error(request, _("Les commandes de cette fenêtre ne sont pas encore closes : "
                                  "les tournées se planifient après la clôture."))
    else:
        delivery_window_rounds_plan_task.delay_on_commit(win.pk)
        messages.success(request, _("Planification lancée : les tournées apparaissent ici dans quelques secondes."))
    return redirect("delivery-manager:window", window_pk=win.pk)

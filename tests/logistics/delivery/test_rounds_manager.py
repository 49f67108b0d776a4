"""The manager's window page: the rounds with their stops, distance and duration, the orders left
out with the reason, and « planifier maintenant » once the orders are closed (once)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.delivery.models import DeliveryWindow, Round
from tests.logistics.delivery.rounds_helpers import town_with_orders

pytestmark = pytest.mark.django_db


def test_plan_now_is_refused_before_the_cutoff_and_nothing_is_planned(manager_client):
    _town, _zone, window, _orders = town_with_orders(orders=2)
    page = manager_client.post(reverse("delivery-manager:window-plan", args=[window.pk]), follow=True)
    assert "pas encore closes" in page.content.decode()
    assert not Round.objects.exists()


def test_plan_now_after_the_cutoff_shows_the_rounds_with_distance_and_duration(
        manager_client, django_capture_on_commit_callbacks):
    _town, _zone, window, orders = town_with_orders(orders=3, parcels=3, couriers=1)
    DeliveryWindow.objects.filter(pk=window.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    assert "Planifier maintenant" in manager_client.get(reverse("delivery-manager:window", args=[window.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("delivery-manager:window-plan", args=[window.pk]))
    (round_,) = Round.objects.filter(window=window)
    page = manager_client.get(reverse("delivery-manager:window", args=[window.pk])).content.decode()
    assert f"{round_.distance_m} m · {round_.duration_minutes} min" in page
    assert all(order.number in page for order in orders)
    assert "Planifier maintenant" not in page
    again = manager_client.post(reverse("delivery-manager:window-plan", args=[window.pk]), follow=True)
    assert "déjà planifiées" in again.content.decode()
    assert Round.objects.filter(window=window).count() == 1

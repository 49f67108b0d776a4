"""Wrong pickup codes sent all at once (threads, one PostgreSQL connection each, the Redis
counters shared): never more codes tried than the limit, one alert per lock-out."""
from __future__ import annotations

import pytest
from django.db import connection

from logistics.models import PointKind
from logistics.pickup.exceptions import CodeNotFound
from logistics.pickup.ratelimit import TooManyAttempts
from logistics.pickup.services.handover import Place, handover_find, locker_code_enter
from logistics.pickup.services.staff import point_staff_add
from marketplace.notifications.models import NotificationEvent, OrderNotification
from tests.concurrency.threads import run_together, unexpected
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 16
LIMIT = 5


def test_wrong_codes_sent_at_once_to_a_bank_from_many_addresses_try_at_most_the_limit(settings):
    assert connection.vendor == "postgresql"
    settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = LIMIT
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = 100
    bank = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    point_staff_add(point=bank, user=UserFactory(username="equipe-consigne", email="equipe@halle.test"))

    results = run_together(ATTEMPTS, lambda i: locker_code_enter(point=bank, code_text="ZZZZZZ", ip=f"10.20.0.{i}"))

    assert not unexpected(results, CodeNotFound, TooManyAttempts)
    assert sum(isinstance(r, CodeNotFound) for r in results) == LIMIT  # codes really looked up
    assert sum(isinstance(r, TooManyAttempts) for r in results) == ATTEMPTS - LIMIT
    assert OrderNotification.objects.filter(event=NotificationEvent.LOCKER_LOCKED).count() == 1


def test_wrong_codes_sent_at_once_by_one_person_try_at_most_the_limit(settings):
    assert connection.vendor == "postgresql"
    settings.HALLE_PICKUP_CODE_MAX_FAILURES = LIMIT
    point = CollectionPointFactory()
    staff = UserFactory(username="agent-presse")
    point_staff_add(point=point, user=staff)

    results = run_together(ATTEMPTS, lambda i: handover_find(
        place=Place(point=point), user=staff, code_text="ZZZZZZ", ip=f"10.21.0.{i}"))

    assert not unexpected(results, CodeNotFound, TooManyAttempts)
    assert sum(isinstance(r, CodeNotFound) for r in results) == LIMIT

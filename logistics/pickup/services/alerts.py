"""Telling a collection point's staff that its locker bank's keypad locked itself.

When wrong codes at one bank reach ``HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES`` within
the window, the keypad refuses every code until the window ends (``ratelimit``) and
the bank's staff get one e-mail through the outbox: once per lock-out, whichever of
the concurrent failing requests noticed it (the outbox row is unique per lock-out,
named by the window's start), sent after commit like every notification.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format

from logistics.models import CollectionPoint
from logistics.pickup.models import PointStaff
from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import point_staff_notify

logger = logging.getLogger(__name__)


def locker_alert_recipients(*, point: CollectionPoint) -> list[str]:
    """The addresses of the people of ``point``'s staff (not its system account); the town's
    staff when the bank has nobody of its own, so that a lock-out is never silent."""
    from logistics.pickup.services.staff import locker_system_username

    people = (
        PointStaff.objects.filter(point=point, user__is_active=True)
        .exclude(user__username=locker_system_username(point=point))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    addresses = sorted(set(people))
    if not addresses:
        addresses = sorted(set(
            get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
            .values_list("email", flat=True)
        ))
    return addresses


def locker_lockout_alert(*, point: CollectionPoint, lockout_id: int) -> int:
    """Owe ``point``'s staff the e-mail of the lock-out that began at ``lockout_id`` (Unix
    milliseconds, the window's start); returns how many e-mails this call owed (0 if already owed)."""
    window = int(settings.HALLE_PICKUP_CODE_WINDOW_MINUTES)
    started = dt.datetime.fromtimestamp(lockout_id / 1000, tz=dt.UTC) if lockout_id else timezone.now()
    until = timezone.localtime(started + dt.timedelta(minutes=window))
    recipients = locker_alert_recipients(point=point)
    if not recipients:
        logger.warning("locker bank %s locked by wrong codes: nobody to tell", point.pk)
        return 0
    with transaction.atomic():
        return point_staff_notify(
            event=NotificationEvent.LOCKER_LOCKED,
            scope=f"locker:{point.pk}:{lockout_id}",
            recipients=recipients,
            payload={
                "point_id": point.pk,
                "failures": int(settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES),
                "window_minutes": window,
                "until": time_format(until, "H\\hi"),
            },
        )

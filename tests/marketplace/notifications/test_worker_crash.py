"""A real Celery worker killed with SIGKILL in the middle of sending an e-mail: after a
restart the e-mail is sent exactly once (acks_late + reject on worker lost + the row lock)."""
from __future__ import annotations

import email
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from marketplace.notifications.models import NotificationEvent, NotificationStatus, OrderNotification
from tests.factories.pickup import order_with_parts
from tests.support.mail_backends import HOLD, sent_messages

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def celery_worker_env(mail_dir) -> dict:
    return {"DJANGO_SETTINGS_MODULE": "tests.support.worker_settings", "EMAIL_FILE_PATH": str(mail_dir)}


def _wait_for(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _row_is_locked(pk: int) -> bool:
    try:
        with transaction.atomic():
            OrderNotification.objects.select_for_update(nowait=True).get(pk=pk)
    except OperationalError:
        return True
    return False


def test_a_worker_killed_while_sending_sends_the_email_exactly_once_after_restart(
    celery_worker, celery_client, mail_dir
):
    # its confirmation is sent in this process (eager)
    order = order_with_parts(mode="shop", quantities=(1,), guest_email="camille@exemple.fr")
    assert OrderNotification.objects.get(order=order).status == NotificationStatus.SENT
    # Recorded as the order workflow would, but dispatched to the real worker below.
    row = OrderNotification.objects.create(
        order=order, event=NotificationEvent.ORDER_EXPIRED, recipient="camille@exemple.fr",
        next_attempt_at=timezone.now(),
    )
    (mail_dir / HOLD).touch()

    celery_client.send_task("notifications.send", args=[row.pk])
    _wait_for(lambda: list(mail_dir.glob("sending-*")), "the worker to enter the send")
    assert _row_is_locked(row.pk), "the sending worker holds the row"

    assert celery_worker.kill() == -9
    # Its transaction died with its connection: the row is pending again, free, unsent.
    _wait_for(lambda: not _row_is_locked(row.pk), "the dead worker's lock to go")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
    assert sent_messages(mail_dir) == []

    (mail_dir / HOLD).unlink()
    celery_worker.start()  # the unacknowledged message is delivered again

    _wait_for(lambda: OrderNotification.objects.get(pk=row.pk).status == NotificationStatus.SENT, "the resend")
    # Another delivery of the same task (a duplicate, a beat requeue) sends nothing more.
    assert celery_client.send_task("notifications.send", args=[row.pk]).get(timeout=TIMEOUT) == "already_sent"
    time.sleep(4)  # longer than the worker's visibility timeout: any stray copy would have run by now
    files = sent_messages(mail_dir)
    assert len(files) == 1, celery_worker.log()
    message = email.message_from_bytes(files[0].read_bytes())
    assert message["To"] == "camille@exemple.fr"
    assert str(make_header(decode_header(message["Subject"]))) == (
        f"Commande n° {order.number} non retirée : elle est annulée"
    )
    row.refresh_from_db()
    assert row.attempts == 1

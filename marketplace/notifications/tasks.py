"""Celery tasks of the notification outbox (thin: the work is in ``services``)."""
from __future__ import annotations

from celery import shared_task

from marketplace.notifications.services import notification_send, notifications_requeue


@shared_task(name="notifications.send", acks_late=True, task_reject_on_worker_lost=True, ignore_result=False)
def notification_send_task(notification_id: int) -> str:
    """Send one outbox row. Acknowledged only once done: a worker killed mid-send leaves
    the message on the broker, and the next delivery finds the row still pending
    (see ``notification_send`` for why that sends the e-mail once)."""
    return notification_send(notification_id=notification_id)


@shared_task(name="notifications.requeue")
def notifications_requeue_task() -> int:
    """Send the rows no task picked up (beat; idempotent)."""
    return notifications_requeue()


@shared_task(name="notifications.email_send", acks_late=True, task_reject_on_worker_lost=True, ignore_result=False)
def outbox_email_send_task(email_id: int) -> str:
    """Send one ``OutboxEmail`` (see ``marketplace.notifications.emails``)."""
    from marketplace.notifications.emails import outbox_email_send

    return outbox_email_send(email_id=email_id)


@shared_task(name="notifications.emails_requeue")
def outbox_emails_requeue_task() -> int:
    """Send the ``OutboxEmail`` rows no task picked up (beat; idempotent)."""
    from marketplace.notifications.emails import outbox_emails_requeue

    return outbox_emails_requeue()

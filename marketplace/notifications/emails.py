"""The outbox for e-mails that are not about an order (``OutboxEmail``): same promise as
``services`` (one row per cause, written in the causing transaction, sent once after
commit, retried with a back-off, requeued by beat), for rows whose text is rendered
when they are owed.
"""
from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from marketplace.core.db import row_insert_unless_exists
from marketplace.notifications.models import EmailStatus, OutboxEmail
from marketplace.notifications.services import (
    MAX_ATTEMPTS,
    REQUEUE_GRACE,
    _backoff,
    _message_id_domain,
)

logger = logging.getLogger(__name__)


def email_enqueue(
    *, key: str, topic: str, recipient: str, template: str, context: dict, headers: dict | None = None
) -> OutboxEmail | None:
    """Owe ``recipient`` the e-mail rendered from ``template`` (``<template>_subject.txt``,
    ``.txt`` and ``.html`` if it exists), once per ``key``. Call it inside the transaction
    of the change that causes it. ``None`` when this key is already owed or sent."""
    recipient = (recipient or "").strip()
    if not recipient:
        logger.warning("no e-mail address for %s: not sent", key)
        return None
    with translation.override("fr"):
        context = {"brand": settings.OSCAR_SHOP_NAME, "town": settings.HALLE_TOWN_NAME,
                   "site_url": settings.HALLE_SITE_URL.rstrip("/"), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # a text-only e-mail
            html = ""
    email = OutboxEmail(
        key=key[:160], topic=topic, recipient=recipient, subject=subject[:255], body_text=text, body_html=html,
        headers=headers or {}, next_attempt_at=timezone.now(),
    )
    if not row_insert_unless_exists(email):
        return None
    _send_after_commit(email.pk)
    return email


def _send_after_commit(email_id: int) -> None:
    from marketplace.notifications.tasks import outbox_email_send_task

    transaction.on_commit(partial(outbox_email_send_task.delay, email_id), robust=True)


def emails_cancel(*, topic: str, recipient: str) -> int:
    """Cancel the pending e-mails of ``topic`` to ``recipient`` (an unsubscription, honoured
    at once); a row being sent right now is already locked by its sender and is not waited for."""
    pending = OutboxEmail.objects.select_for_update(skip_locked=True).filter(
        topic=topic, recipient__iexact=recipient, status=EmailStatus.PENDING
    )
    ids = list(pending.values_list("pk", flat=True))
    return OutboxEmail.objects.filter(pk__in=ids, status=EmailStatus.PENDING).update(
        status=EmailStatus.CANCELLED, next_attempt_at=None
    )


def outbox_email_send(*, email_id: int, now: dt.datetime | None = None) -> str:
    """Send one pending e-mail: ``"sent"``, ``"already_sent"``, ``"failed"``, ``"cancelled"``,
    ``"busy"`` (another worker holds it), ``"missing"`` or ``"retry"`` (rescheduled)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if row is None:
            return "busy" if OutboxEmail.objects.filter(pk=email_id).exists() else "missing"
        if row.status != EmailStatus.PENDING:
            return {EmailStatus.SENT: "already_sent", EmailStatus.FAILED: "failed"}.get(row.status, "cancelled")
        row.attempts += 1
        message = EmailMultiAlternatives(
            subject=row.subject, body=row.body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient],
            headers={"Message-ID": f"<halle-email-{row.pk}@{_message_id_domain()}>", **row.headers},
        )
        if row.body_html:
            message.attach_alternative(row.body_html, "text/html")
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            logger.exception("outbox e-mail %s not sent", row.pk)
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status, row.next_attempt_at = EmailStatus.FAILED, None
            else:
                row.next_attempt_at = now + _backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "retry"
        row.status, row.sent_at, row.next_attempt_at, row.last_error = EmailStatus.SENT, timezone.now(), None, ""
        row.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
        return "sent"


def outbox_emails_requeue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Enqueue the pending rows that are due and were not picked up (broker outage, crash)."""
    from marketplace.notifications.tasks import outbox_email_send_task

    now = now or timezone.now()
    due = list(
        OutboxEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now,
                                   created_at__lte=now - REQUEUE_GRACE)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        outbox_email_send_task.delay(pk)
    return len(due)

"""Assisted mode (writes): the shop's consent, the manager's session in its back-office,
and the audit trail of what the manager did there.

The consent is the shop owner's, time-limited, revocable at any moment (the next
request of the manager is then refused). Every action the manager attempts while
acting for the shop is recorded, refused ones included; starting and ending a
session are recorded too, so the shop reads the whole story.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.core.manager import user_is_town_manager
from marketplace.town.models import AssistAuditEntry, AssistConsent, AuditOutcome

#: The lengths an owner may choose, in hours (label shown in the back-office).
DURATIONS = {2: "2 heures", 24: "1 jour", 72: "3 jours", 168: "7 jours"}
NOT_OWNER = "Seul le gérant du commerce peut autoriser le centre-ville à agir pour lui."
NO_CONSENT = "Ce commerce n'a pas (ou plus) autorisé le centre-ville à agir pour lui."


def assist_consent_active(*, shop, at: dt.datetime | None = None) -> AssistConsent | None:
    """The consent of ``shop`` in force at ``at`` (the latest one), if any."""
    at = at or timezone.now()
    return (
        AssistConsent.objects.filter(shop=shop, revoked_at__isnull=True, granted_at__lte=at, expires_at__gt=at)
        .select_related("granted_by").order_by("-expires_at", "-pk").first()
    )


def _check_owner(shop, user) -> None:
    from shops.models import ShopRole
    from shops.staff.selectors import shop_role_get

    if shop_role_get(shop=shop, user=user) != ShopRole.OWNER:
        raise PermissionDenied(NOT_OWNER)


def assist_consent_grant(*, shop, by, hours: int, note: str = "") -> AssistConsent:
    """The owner lets the town act for the shop for ``hours`` hours (one of ``DURATIONS``);
    a consent in force is replaced (one at a time)."""
    _check_owner(shop, by)
    if hours not in DURATIONS:
        raise ValidationError({"hours": "Choisissez une durée dans la liste."})
    now = timezone.now()
    with transaction.atomic():
        AssistConsent.objects.filter(shop=shop, revoked_at__isnull=True, expires_at__gt=now).update(
            revoked_at=now, revoked_by=by
        )
        return AssistConsent.objects.create(
            shop=shop, granted_by=by, expires_at=now + dt.timedelta(hours=hours), note=(note or "").strip()[:200]
        )


def assist_consent_revoke(*, shop, by) -> int:
    """End the shop's consent now; the manager's next request in its back-office is refused."""
    _check_owner(shop, by)
    now = timezone.now()
    return AssistConsent.objects.filter(shop=shop, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now, revoked_by=by
    )


def assist_audit_record(*, consent: AssistConsent, actor, action: str, label: str, outcome: str,
                        changes: dict | None = None, path: str = "") -> AssistAuditEntry:
    return AssistAuditEntry.objects.create(
        shop_id=consent.shop_id, consent=consent, actor=actor, action=action[:64], label=label[:200],
        outcome=outcome, changes=changes or {}, path=path[:255],
    )


def assist_session_start(*, shop, manager) -> AssistConsent:
    """The manager starts acting for ``shop``: allowed only under the shop's consent in force."""
    if not user_is_town_manager(manager):
        raise PermissionDenied("Réservé au manager du centre-ville.")
    consent = assist_consent_active(shop=shop)
    if consent is None:
        raise ValidationError(NO_CONSENT)
    assist_audit_record(consent=consent, actor=manager, action="assist_start",
                        label="Début du mode assisté", outcome=AuditOutcome.SESSION)
    return consent


def assist_session_end(*, consent: AssistConsent, manager) -> None:
    assist_audit_record(consent=consent, actor=manager, action="assist_end",
                        label="Fin du mode assisté", outcome=AuditOutcome.SESSION)

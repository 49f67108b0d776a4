"""Staff of a shop: invitations by e-mail, joining, removal (writes).

An invitation link carries ``signing.dumps([pk, nonce])``: tamper-proof, it
expires after ``HALLE_INVITATION_DAYS`` days, and the stored ``nonce`` ties it to
one invitation, used once (``accepted_at``) unless cancelled before.
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from shops.guards import shop_writes_guarded
from shops.models import Shop, ShopInvitation, ShopMember, ShopRole

SALT = "shops.invitation"


class InvitationInvalid(Exception):
    """A link that cannot be used; ``message`` says why, in French, for the invitee."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


INVALID = "Ce lien d'invitation n'est pas valide. Vérifiez qu'il est complet ou demandez une nouvelle invitation."
EXPIRED = "Ce lien d'invitation a expiré. Demandez au gérant du commerce de vous inviter à nouveau."
USED = "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte."
CANCELLED = "Cette invitation a été annulée par le commerce."


def _max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.HALLE_INVITATION_DAYS)


def email_normalised(email: str) -> str:
    email = (email or "").strip()
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if local else email


def invitation_token(*, invitation: ShopInvitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=True)


@shop_writes_guarded
def invitation_create(*, shop: Shop, email: str, invited_by=None, role: str = ShopRole.STAFF) -> ShopInvitation:
    """Invite ``email`` to ``shop``'s staff; the e-mail with the link is owed to the outbox in
    the same transaction (sent once after commit, retried).

    Inviting the same address again replaces the pending invitation (the old link dies, its
    e-mail if still queued too).
    """
    from shops.staff.emails import invitation_email_owe, invitation_emails_cancel

    email = email_normalised(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Adresse e-mail invalide."}) from None
    if role not in ShopRole.values:
        raise ValidationError({"role": "Rôle inconnu."})
    if shop.partner.users.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Cette personne fait déjà partie de l'équipe."})
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)  # one invitation at a time per shop
        replaced = ShopInvitation.objects.filter(
            shop=shop, email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
        )
        for old in replaced:
            invitation_emails_cancel(invitation=old)
        replaced.update(cancelled_at=timezone.now())
        invitation = ShopInvitation.objects.create(
            shop=shop,
            email=email,
            role=role,
            nonce=secrets.token_urlsafe(24),
            invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
            expires_at=timezone.now() + _max_age(),
        )
        invitation_email_owe(invitation=invitation)
    return invitation


@shop_writes_guarded
def invitation_cancel(*, invitation: ShopInvitation) -> None:
    """The link dies, and its e-mail if still queued."""
    from shops.staff.emails import invitation_emails_cancel

    with transaction.atomic():
        cancelled = ShopInvitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=timezone.now())
        if cancelled:
            invitation_emails_cancel(invitation=invitation)


def invitation_from_token(*, token: str) -> ShopInvitation:
    """The pending invitation behind ``token``; ``InvitationInvalid`` with the reason otherwise."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired:
        raise InvitationInvalid(EXPIRED) from None
    except (signing.BadSignature, TypeError, ValueError):
        raise InvitationInvalid(INVALID) from None
    invitation = ShopInvitation.objects.select_related("shop").filter(pk=pk).first() if isinstance(pk, int) else None
    if invitation is None or not secrets.compare_digest(str(nonce), invitation.nonce):
        raise InvitationInvalid(INVALID)
    _check_pending(invitation)
    return invitation


def _check_pending(invitation: ShopInvitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationInvalid(USED)
    if invitation.cancelled_at is not None:
        raise InvitationInvalid(CANCELLED)
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(EXPIRED)


def _username_for(email: str) -> str:
    User = get_user_model()
    base = "".join(c for c in email.split("@")[0].lower() if c.isalnum() or c in "._-")[:30] or "commercant"
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return username


def invitation_accept(
    *, token: str, user=None, password: str = "", first_name: str = "", last_name: str = ""
):
    """Use the invitation behind ``token``: join with ``user`` (signed in, same e-mail) or
    create an account with ``password``. Returns the staff user. Raises ``InvitationInvalid``
    for a bad link and ``ValidationError`` for a bad password or the wrong account.
    """
    invitation = invitation_from_token(token=token)
    User = get_user_model()
    with transaction.atomic():
        invitation = ShopInvitation.objects.select_for_update().select_related("shop__partner").get(pk=invitation.pk)
        _check_pending(invitation)  # a concurrent use of the same link waited for the lock
        if user is not None and getattr(user, "is_authenticated", False):
            if email_normalised(user.email).lower() != invitation.email.lower():
                raise ValidationError(
                    f"Cette invitation est adressée à {invitation.email} : déconnectez-vous puis rouvrez le lien."
                )
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError("Un compte existe déjà pour cette adresse : connectez-vous pour rejoindre l'équipe.")
            user = User(
                username=_username_for(invitation.email),
                email=invitation.email,
                first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150],
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user.set_password(password)
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                raise ValidationError("Ce compte vient d'être créé : connectez-vous pour rejoindre l'équipe.") from None
        shop_staff_join(shop=invitation.shop, user=user, role=invitation.role)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def shop_staff_join(*, shop: Shop, user, role: str = ShopRole.STAFF) -> ShopMember:
    """Make ``user`` staff of ``shop`` (a ``Partner`` user) with ``role`` (an existing owner stays owner).

    Merchants work in the back-office (/espace-commercant/), never in Oscar's
    dashboard, so they get no ``partner.dashboard_access`` permission.
    """
    with transaction.atomic():
        shop.partner.users.add(user)
        member, created = ShopMember.objects.get_or_create(shop=shop, user=user, defaults={"role": role})
        if not created and role == ShopRole.OWNER and member.role != role:
            member.role = role
            member.save(update_fields=["role"])
    return member


def shop_staff_remove(*, shop: Shop, user, by) -> None:
    """Remove ``user`` from ``shop``'s staff. Owners cannot be removed here, nor oneself."""
    from shops.staff.selectors import shop_role_get

    role = shop_role_get(shop=shop, user=user)
    if role is None:
        raise ValidationError("Cette personne ne fait pas partie de l'équipe.")
    if user.pk == getattr(by, "pk", None):
        raise ValidationError("Vous ne pouvez pas vous retirer vous-même de l'équipe.")
    if role == ShopRole.OWNER:
        raise ValidationError("Un gérant ne peut être retiré que par le centre-ville.")
    with transaction.atomic():
        shop.partner.users.remove(user)
        ShopMember.objects.filter(shop=shop, user=user).delete()

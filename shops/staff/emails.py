"""The invitation e-mail (sent by a Celery task after the invitation is committed)."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from shops.models import ShopInvitation, ShopRole


def invitation_link(*, invitation: ShopInvitation) -> str:
    from shops.staff.services import invitation_token

    path = reverse("backoffice:shop-invitation:accept", kwargs={"token": invitation_token(invitation=invitation)})
    return settings.HALLE_SITE_URL.rstrip("/") + path


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the e-mail unless already sent or no longer pending; True when sent now."""
    with transaction.atomic():
        invitation = (
            ShopInvitation.objects.select_for_update(of=("self",)).select_related("shop", "invited_by").filter(pk=invitation_id).first()
        )
        if invitation is None or invitation.email_sent_at or not invitation.is_pending:
            return False
        who = invitation.invited_by.get_full_name() if invitation.invited_by else "Le centre-ville"
        role = "gérant" if invitation.role == ShopRole.OWNER else "membre de l'équipe"
        expires = date_format(timezone.localtime(invitation.expires_at), "j F Y à H:i")
        send_mail(
            subject=f"Invitation à rejoindre « {invitation.shop.name} » sur {settings.OSCAR_SHOP_NAME}",
            message=(
                f"Bonjour,\n\n{who or 'Le commerce'} vous invite à rejoindre « {invitation.shop.name} » "
                f"en tant que {role} sur {settings.OSCAR_SHOP_NAME}.\n\n"
                f"Pour accepter, ouvrez ce lien (valable jusqu'au {expires}) :\n"
                f"{invitation_link(invitation=invitation)}\n\n"
                "Si vous ne vous attendiez pas à cette invitation, ignorez ce message.\n"
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
    return True

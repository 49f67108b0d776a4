"""The invitation e-mail: owed to the notification outbox in the invitation's own transaction,
sent by Celery after commit, once, retried (``marketplace.notifications.emails``)."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from shops.models import ShopInvitation, ShopRole


def invitation_link(*, invitation: ShopInvitation) -> str:
    from shops.staff.services import invitation_token

    path = reverse("backoffice:shop-invitation:accept", kwargs={"token": invitation_token(invitation=invitation)})
    return settings.HALLE_SITE_URL.rstrip("/") + path


def invitation_topic(*, shop_id: int) -> str:
    """The outbox topic of a shop's invitations: re-inviting or cancelling drops what is still queued."""
    return f"invitation:{shop_id}"


def invitation_email_owe(*, invitation: ShopInvitation) -> None:
    """Owe the invitee the e-mail with the link (call inside the invitation's transaction)."""
    from marketplace.notifications.emails import email_enqueue

    inviter = invitation.invited_by
    email_enqueue(
        key=f"shop-invitation:{invitation.pk}",
        topic=invitation_topic(shop_id=invitation.shop_id),
        recipient=invitation.email,
        template="shops/email/invitation",
        context={
            "who": (inviter.get_full_name() if inviter else "") or ("Le commerce" if inviter else "Le centre-ville"),
            "shop_name": invitation.shop.name,
            "role": "gérant" if invitation.role == ShopRole.OWNER else "membre de l'équipe",
            "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y à H:i"),
            "link": invitation_link(invitation=invitation),
        },
    )


def invitation_emails_cancel(*, invitation: ShopInvitation) -> None:
    """What is still queued for the invitee at this shop goes (its link is dead)."""
    from marketplace.notifications.emails import emails_cancel

    emails_cancel(topic=invitation_topic(shop_id=invitation.shop_id), recipient=invitation.email)

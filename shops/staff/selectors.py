"""Who is who in a shop's staff (reads)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, QuerySet

from shops.models import Shop, ShopInvitation, ShopMember, ShopRole


def shop_role_get(*, shop: Shop, user) -> str | None:
    """``ShopRole.OWNER`` or ``ShopRole.STAFF`` for staff of ``shop``, ``None`` for anyone else.

    Staff are ``Partner.users``; a staff user without a ``ShopMember`` row is plain staff.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not shop.partner.users.filter(pk=user.pk).exists():
        return None
    role = ShopMember.objects.filter(shop=shop, user=user).values_list("role", flat=True).first()
    return role or ShopRole.STAFF


def shop_staff_listed(*, shop: Shop) -> list[tuple[object, str]]:
    """(user, role) of every staff member of ``shop``: owners first, then by name (two queries)."""
    roles = dict(ShopMember.objects.filter(shop=shop).values_list("user_id", "role"))
    users = get_user_model().objects.filter(partners=shop.partner).order_by("last_name", "first_name", "email", "pk")
    pairs = [(user, roles.get(user.pk, ShopRole.STAFF)) for user in users]
    return sorted(pairs, key=lambda pair: pair[1] != ShopRole.OWNER)


def shop_invitations_pending(*, shop: Shop) -> QuerySet[ShopInvitation]:
    return ShopInvitation.objects.filter(shop=shop, accepted_at__isnull=True, cancelled_at__isnull=True).select_related(
        "invited_by"
    )


def shop_contact_email(*, shop: Shop) -> str:
    """Where the marketplace writes to a shop: its own address, else an owner's, else a
    staff member's (the earliest joined); empty when nobody has one."""
    return shop_contact_emails(shops=[shop]).get(shop.pk, "")


def shop_contact_emails(*, shops) -> dict[int, str]:
    """Where the marketplace writes to each of several shops (see ``shop_contact_email``), by shop id: no query when every shop has its
    own address, one otherwise (a new order writes to each of its shops at once)."""
    emails = {shop.pk: shop.email for shop in shops if shop.email}
    missing = [shop.pk for shop in shops if not shop.email]
    if missing:
        owner = Exists(ShopMember.objects.filter(shop=OuterRef("shop_id"), user=OuterRef("pk"), role=ShopRole.OWNER))
        rows = (
            get_user_model().objects.filter(partners__shop__in=missing).exclude(email="")
            .annotate(shop_id=F("partners__shop")).annotate(is_owner=owner)
            .order_by("shop_id", "-is_owner", "pk").values_list("shop_id", "email")
        )
        for shop_id, email in rows:
            emails.setdefault(shop_id, email)
    return emails

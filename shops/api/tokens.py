"""Till/POS API tokens: created once (the secret is shown once), stored as a SHA-256, revocable.

A token is ``halle_`` followed by 43 random URL-safe characters (256 bits): a
fast hash is enough to store it (nothing to brute-force), and lookups go
through the unique ``key_hash`` index.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shops.models import ApiToken, Shop

PREFIX = "halle_"
MAX_ACTIVE_PER_SHOP = 20
# ``last_used_at`` is written at most this often, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, shop: Shop, name: str, created_by=None) -> tuple[ApiToken, str]:
    """Create a token for ``shop``; returns it with its secret, which is never stored nor shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom au jeton, par exemple « Caisse du comptoir »."})
    if len(name) > 100:
        raise ValidationError({"name": "Nom trop long (100 caractères au maximum)."})
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)
        if ApiToken.objects.filter(shop=shop, revoked_at__isnull=True).count() >= MAX_ACTIVE_PER_SHOP:
            raise ValidationError(f"{MAX_ACTIVE_PER_SHOP} jetons actifs au maximum : révoquez-en un d'abord.")
        raw = PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            shop=shop,
            name=name,
            prefix=raw[: len(PREFIX) + 6],
            key_hash=_hash(raw),
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_get(*, raw: str) -> ApiToken | None:
    """The token whose secret is ``raw`` (revoked ones included: the caller says why it is refused)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("shop").filter(key_hash=_hash(raw)).first()
    if token is not None and token.revoked_at is None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def shop_api_tokens_listed(*, shop: Shop):
    return ApiToken.objects.filter(shop=shop).select_related("created_by")

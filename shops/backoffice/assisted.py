"""The back-office in assisted mode: the town manager acts for a shop that agreed to it.

``backoffice_view`` asks ``assisted_consent_for`` first: a town manager whose session
names a shop under a consent in force works on that shop (``request.shop``), marked by
``request.assisted`` (the consent) and the banner « Vous agissez pour … ». Nothing else
of the back-office changes: objects are looked up within ``request.shop``, so another
shop's ids stay 404s.

Writes are an allow-list (``ACTIONS``): each names what it changes and how to read it
before and after (``snapshot``). ``assisted_write`` runs the view between two
snapshots, in one transaction, and records the difference in the audit trail. Anything
not listed (orders, refunds, the payment account, money pages, API tokens, removing
staff) is refused and the refusal recorded: money actions stay the merchant's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

from shops.models import Shop

SESSION_KEY = "assist"
REFUSED = (
    "En mode assisté, le centre-ville peut modifier le profil, les horaires, les fermetures, les photos, "
    "le catalogue, le stock et inviter l'équipe ; les commandes, les remboursements, le compte de paiement, "
    "l'argent et les jetons de caisse restent au commerçant."
)
#: Owner-only pages the manager may open for the shop (the rest stay the owner's).
OWNER_PAGES = frozenset({"team", "invitation-cancel"})


def assisted_consent_for(request):
    """The consent the manager works under in this request, or ``None`` (not assisting, or
    the consent ended: then the session forgets it)."""
    from marketplace.core.manager import user_is_town_manager
    from marketplace.town.models import AssistConsent

    data = request.session.get(SESSION_KEY)
    if not data or not user_is_town_manager(request.user):
        return None
    now = timezone.now()
    consent = (
        AssistConsent.objects.select_related("shop__partner", "granted_by")
        .filter(pk=data.get("consent"), shop_id=data.get("shop"), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if consent is None:
        request.session.pop(SESSION_KEY, None)
    return consent


# --- what an action changes, as the merchant reads it ---------------------------------


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _price(value) -> str:
    return "—" if value is None else f"{value:.2f} €".replace(".", ",")


def snap_profile(shop: Shop, kwargs: dict) -> dict:
    shop = Shop.objects.get(pk=shop.pk)
    fields = ("description", "phone", "email", "line1", "postcode", "city", "preparation_minutes",
              "daily_order_cap", "vacation_mode")
    out = {}
    for name in fields:
        value = getattr(shop, name)
        if name == "description":  # as the merchant reads it: « texte » and <p>texte</p> are the same
            from shops.html import html_as_plain_text, html_sanitise

            clean = html_sanitise(html=value or "")
            value = html_as_plain_text(html=clean) or clean
        elif name == "phone":  # stored in E.164, read as the merchant typed it: 02 38 00 00 00
            from shops.validation import phone_display

            value = phone_display(value)
        label = str(Shop._meta.get_field(name).verbose_name).capitalize()
        out[label] = _yes_no(value) if isinstance(value, bool) else ("—" if value in (None, "") else str(value))
    return out


def snap_hours(shop: Shop, kwargs: dict) -> dict:
    from shops.selectors import shop_weekly_hours

    shop = Shop.objects.prefetch_related("opening_periods").get(pk=shop.pk)
    return {day.name.capitalize(): day.text for day in shop_weekly_hours(shop=shop)}


def snap_closures(shop: Shop, kwargs: dict) -> dict:
    local = timezone.localtime
    return {
        f"Fermeture du {local(c.starts_at):%d/%m/%Y %H:%M} au {local(c.ends_at):%d/%m/%Y %H:%M}": c.reason or "sans motif"
        for c in shop.closures.order_by("starts_at", "pk")
    }


def snap_photos(shop: Shop, kwargs: dict) -> dict:
    return {f"Photo n° {p.pk}": p.alt_text for p in shop.photos.order_by("display_order", "pk")}


def _offer_line(offer) -> str:
    text = f"{_price(offer.price)}, stock {offer.num_in_stock if offer.num_in_stock is not None else '—'}"
    return text if offer.product.is_public else f"{text}, archivé"


def snap_offers(shop: Shop, kwargs: dict) -> dict:
    from marketplace.partner.models import StockRecord

    offers = StockRecord.objects.filter(partner_id=shop.partner_id).select_related("product").order_by("partner_sku", "pk")
    return {f"{o.partner_sku} — {o.product.title}": _offer_line(o) for o in offers}


def snap_offer(shop: Shop, kwargs: dict) -> dict:
    from marketplace.partner.models import StockRecord
    from shops.html import html_as_plain_text

    offer = (
        StockRecord.objects.filter(partner_id=shop.partner_id, pk=kwargs.get("offer_pk"))
        .select_related("product", "product__product_class").first()
    )
    if offer is None:
        return {}
    product = offer.product
    category = product.categories.order_by("productcategory__pk").first()
    images = ", ".join(i.caption or f"photo {i.pk}" for i in product.images.order_by("display_order", "pk"))
    return {
        "Nom": product.title,
        "Description": html_as_plain_text(html=product.description or "") or product.description or "—",
        "Rayon": str(category) if category else "—",
        "Type": str(product.product_class) if product.product_class else "—",
        "SKU": offer.partner_sku,
        "Prix": _price(offer.price),
        "Stock": str(offer.num_in_stock),
        "En vente": _yes_no(product.is_public),
        "Photos": images or "—",
    }


def snap_team(shop: Shop, kwargs: dict) -> dict:
    from shops.staff.selectors import shop_invitations_pending, shop_staff_listed

    out = {user.email: f"membre ({role})" for user, role in shop_staff_listed(shop=shop)}
    for invitation in shop_invitations_pending(shop=shop):
        out.setdefault(invitation.email, f"invitation en attente ({invitation.get_role_display()})")
    return out


def snap_nothing(shop: Shop, kwargs: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Action:
    label: str
    snapshot: Callable[[Shop, dict], dict]


ACTIONS: dict[str, Action] = {
    "profile": Action("Profil du commerce", snap_profile),
    "hours": Action("Horaires d'ouverture", snap_hours),
    "closures": Action("Fermeture exceptionnelle ajoutée", snap_closures),
    "closure-delete": Action("Fermeture exceptionnelle supprimée", snap_closures),
    "photos": Action("Photo du commerce ajoutée", snap_photos),
    "photo-delete": Action("Photo du commerce supprimée", snap_photos),
    "offers": Action("Prix et stocks modifiés en liste", snap_offers),
    "product-create": Action("Produit créé", snap_offers),
    "offer-edit": Action("Produit modifié", snap_offer),
    "offer-archive": Action("Produit archivé ou remis en vente", snap_offer),
    "product-image-add": Action("Photo de produit ajoutée", snap_offer),
    "product-image-delete": Action("Photo de produit supprimée", snap_offer),
    "product-image-move": Action("Photos de produit réordonnées", snap_offer),
    "imports": Action("Fichier CSV vérifié (rien n'est encore appliqué)", snap_nothing),
    "import-apply": Action("Import CSV appliqué", snap_offers),
    "team": Action("Invitation dans l'équipe", snap_team),
    "invitation-cancel": Action("Invitation annulée", snap_team),
}


def changes_between(before: dict, after: dict) -> dict:
    """``{what: [before, after]}`` for what differs (« — » where it did not exist)."""
    keys = list(dict.fromkeys([*before, *after]))
    return {key: [before.get(key, "—"), after.get(key, "—")] for key in keys if before.get(key) != after.get(key)}


#: What a refused attempt was about, as the merchant reads it in the trail.
REFUSED_LABELS = {
    "payments": "Compte de paiement",
    "payments-onboard": "Ouverture du compte de paiement",
    "payments-return": "Compte de paiement",
    "money": "Argent du commerce",
    "money-export": "Export de l'argent du commerce",
    "api-tokens": "Jetons de caisse",
    "api-token-revoke": "Révocation d'un jeton de caisse",
    "team-member-remove": "Retrait d'un membre de l'équipe",
    "order-step": "Étape d'une commande",
    "order-unavailable": "Articles indisponibles (remboursement)",
    "assist": "Autorisation du centre-ville",
}


def assisted_refuse(request, consent, *, url_name: str, label: str = ""):
    from marketplace.town.models import AuditOutcome
    from marketplace.town.services.assist import assist_audit_record

    what = REFUSED_LABELS.get(url_name) or label or request.path
    assist_audit_record(consent=consent, actor=request.user, action=url_name or "?", label=f"Refusé : {what}",
                        outcome=AuditOutcome.REFUSED, path=request.path)
    return render(request, "backoffice/refused.html", {"message": REFUSED}, status=403)


def assisted_write(request, consent, view, args, kwargs):
    """Run the write ``view`` for the shop between two snapshots, and record what changed."""
    from marketplace.town.models import AuditOutcome
    from marketplace.town.services.assist import assist_audit_record

    url_name = request.resolver_match.url_name if request.resolver_match else ""
    action = ACTIONS.get(url_name)
    if action is None:
        return assisted_refuse(request, consent, url_name=url_name)
    with transaction.atomic():
        before = action.snapshot(request.shop, kwargs)
        response = view(request, *args, **kwargs)
        after = action.snapshot(request.shop, kwargs)
        changes = changes_between(before, after)
        assist_audit_record(
            consent=consent, actor=request.user, action=url_name, label=action.label,
            outcome=AuditOutcome.CHANGED if changes else AuditOutcome.UNCHANGED, changes=changes, path=request.path,
        )
    return response

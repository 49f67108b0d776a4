"""The manager's space in the demo (idempotent, deterministic from ``today``): two pending
shop applications, one shop opened from an application and half-way through its
onboarding (its owner accepted the invitation, filled in the profile and the hours),
the town's agenda and page, one newsletter subscriber, and the first shop's consent to
assisted mode so the manager can try it at once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from marketplace.demo.accounts import DEMO_PASSWORD
from marketplace.demo.town import TOWN_NAME, TOWN_POSTCODE

PENDING = (
    {"shop_name": "Fromagerie des Remparts", "trade": "fromagerie", "line1": "7 rue des Remparts",
     "siret": "73282932000074", "contact_name": "Jeanne Roux", "contact_email": "jeanne@fromagerie-remparts.example",
     "contact_phone": "02 38 41 22 10", "products": "Une centaine de fromages affinés sur place, crèmerie, plateaux.",
     "fulfilment": ["boutique", "point"], "message": "Nous aimerions ouvrir avant les fêtes."},
    {"shop_name": "Atelier Vélo du Canal", "trade": "sport", "line1": "2 quai du Canal",
     "siret": "35600000049837", "contact_name": "Karim Benali", "contact_email": "karim@velo-canal.example",
     "contact_phone": "06 12 34 56 78", "products": "Pièces détachées, accessoires, vélos d'occasion révisés.",
     "fulfilment": ["boutique", "livraison"], "message": ""},
)
ONBOARDING = {
    "shop_name": "Épicerie Le Panier Vert", "trade": "epicerie", "line1": "11 rue du Marché",
    "siret": "44306184100047", "contact_name": "Lucie Vert", "contact_email": "panier-vert@halle.test",
    "contact_phone": "02 38 45 67 89", "products": "Épicerie en vrac, produits locaux, fruits secs.",
    "fulfilment": ["boutique", "point", "consigne"], "message": "",
}


@dataclass(frozen=True)
class GestionDemo:
    onboarding_owner_email: str
    onboarding_shop: str


def _application(data: dict):
    from marketplace.town.models import ShopApplication
    from marketplace.town.services.applications import application_submit

    existing = ShopApplication.objects.filter(siret=data["siret"]).order_by("pk").first()
    return existing or application_submit(data={**data, "postcode": TOWN_POSTCODE, "city": TOWN_NAME})


def _onboarding_shop(manager):
    """Opened from its application; the owner accepted the invitation and did profile and hours."""
    from marketplace.demo.images import placeholder_image
    from marketplace.town.models import ApplicationStatus
    from marketplace.town.services.applications import application_approve
    from shops.services import profile as shop_profile
    from shops.staff.services import invitation_accept, invitation_token

    application = _application(ONBOARDING)
    if application.status == ApplicationStatus.APPROVED:
        return application.shop
    shop = application_approve(application=application, by=manager)
    invitation = shop.invitations.get()
    invitation_accept(token=invitation_token(invitation=invitation), password=DEMO_PASSWORD,
                      first_name="Lucie", last_name="Vert")
    shop_profile.shop_profile_update(
        shop=shop, description="Épicerie de quartier : vrac, produits du Loiret, fruits secs et thés.",
        phone="02 38 45 67 89",
    )
    shop_profile.shop_opening_hours_set(shop=shop, periods=[(day, dt.time(9), dt.time(19)) for day in range(1, 6)])
    name = placeholder_image(slug="panier-vert-vitrine", label="Le Panier Vert")
    with default_storage.open(name, "rb") as image:
        upload = ContentFile(image.read(), name="vitrine.png")
    shop_profile.shop_photo_add(shop=shop, upload=upload, alt_text="La vitrine de l'épicerie Le Panier Vert")
    return shop


def _agenda(today: dt.date) -> None:
    from marketplace.town.models import EventKind, TownEvent

    tz = timezone.get_default_timezone()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    thursday = today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)
    events = (
        ("Marché des producteurs", EventKind.EVENT, saturday, dt.time(8), dt.time(13), "Place de la Halle",
         "Fruits, légumes, fromages et pain des fermes alentour."),
        ("Nocturne des commerçants", EventKind.EVENT, thursday, dt.time(18), dt.time(22), "Centre-ville",
         "Les boutiques restent ouvertes jusqu'à 22 h ; animations dans les rues."),
        ("Travaux rue du Pont", EventKind.ANNOUNCEMENT, today, dt.time(7), dt.time(19), "Rue du Pont",
         "La rue est fermée à la circulation ; les commerces restent accessibles à pied."),
    )
    for title, kind, day, start, end, place, summary in events:
        if not TownEvent.objects.filter(title=title, ends_at__gt=timezone.now()).exists():
            TownEvent.objects.create(
                title=title, kind=kind, place=place, summary=summary, is_published=True,
                starts_at=dt.datetime.combine(day, start, tzinfo=tz),
                ends_at=dt.datetime.combine(day + (dt.timedelta(days=6) if kind == EventKind.ANNOUNCEMENT else dt.timedelta()),
                                            end, tzinfo=tz),
            )


def _town_page() -> None:
    from marketplace.town.services.content import town_page_get, town_page_update

    page = town_page_get()
    if not page.about:
        town_page_update(by=None, data={
            "title": f"Le centre-ville de {TOWN_NAME}",
            "about": f"<p>Les commerçants du centre-ville de {TOWN_NAME} vendent ensemble sur Halle : un seul panier, "
                     "le retrait en boutique, au point de retrait de la Halle ou en consigne.</p>",
            "address": f"Mairie, place de la Halle, {TOWN_POSTCODE} {TOWN_NAME}",
            "contact_email": "centre-ville@halle.test", "contact_phone": "+33238000000",
        })


def gestion_demo_ensure(*, today: dt.date | None = None) -> GestionDemo:
    """Create what is missing of the manager's demo (needs the demo accounts)."""
    from marketplace.town.models import AssistConsent
    from marketplace.town.services.assist import assist_consent_active, assist_consent_grant
    from marketplace.town.services.newsletter import subscription_subscribe
    from shops.models import Shop, ShopRole

    today = today or timezone.localdate()
    User = get_user_model()
    manager = User.objects.get(email="manager@halle.test")
    for data in PENDING:
        _application(data)
    shop = _onboarding_shop(manager)
    _agenda(today)
    _town_page()
    subscription_subscribe(user=User.objects.get(email="client@halle.test"))
    first = Shop.objects.filter(application__isnull=True).order_by("pk").first()
    owner = first.members.filter(role=ShopRole.OWNER).select_related("user").first() if first else None
    if owner and assist_consent_active(shop=first) is None and not AssistConsent.objects.filter(shop=first).exists():
        assist_consent_grant(shop=first, by=owner.user, hours=168, note="mettre en ligne mes nouveautés")
    return GestionDemo(onboarding_owner_email=ONBOARDING["contact_email"], onboarding_shop=shop.name)

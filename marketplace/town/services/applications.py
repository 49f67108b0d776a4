"""A shop's application, from the public form to the manager's decision (writes).

Every decision locks the application's row first, so two managers (or one who clicks
twice) cannot approve twice or decline an approved one. The applicant hears of each
decision by an outbox e-mail written in the decision's transaction. Approving opens
the shop exactly as the dashboard does (``shops.services.profile.shop_create`` then the
owner's ``invitation_create``), in the same transaction.
"""
from __future__ import annotations

import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from marketplace.notifications.emails import email_enqueue
from marketplace.town.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    Fulfilment,
    ShopApplication,
)
from marketplace.town.validation import phone_normalise, postcode_normalise, siret_normalise

SALT = "town.application"
#: An applicant's edit link stays valid this long (it dies anyway once the application is decided).
LINK_MAX_AGE_DAYS = 60
TOPIC = "application"

FIELDS = ("shop_name", "trade", "line1", "postcode", "city", "siret", "contact_name", "contact_email",
          "contact_phone", "products", "fulfilment", "message")
ALREADY_OPEN = "Une candidature est déjà en cours pour ce SIRET : utilisez le lien reçu par e-mail pour la compléter."
ALREADY_DECIDED = "Cette candidature a déjà été traitée ({status})."


class ApplicationLinkInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cleaned(data: dict) -> dict:
    """The fields of an application, normalised; ``ValidationError`` by field otherwise."""
    from shops.models import Trade

    errors: dict[str, list[str]] = {}
    clean = {name: data.get(name) for name in FIELDS}
    for name in ("shop_name", "line1", "city", "contact_name", "contact_email", "products"):
        clean[name] = (clean[name] or "").strip()
        if not clean[name]:
            errors.setdefault(name, []).append("Ce champ est obligatoire.")
    clean["message"] = (clean["message"] or "").strip()
    if clean["trade"] not in Trade.values:
        errors.setdefault("trade", []).append("Choisissez votre métier dans la liste.")
    for name, normalise in (("siret", siret_normalise), ("postcode", postcode_normalise), ("contact_phone", phone_normalise)):
        try:
            clean[name] = normalise(clean[name] or "")
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    fulfilment = list(dict.fromkeys(clean["fulfilment"] or []))
    if not fulfilment or set(fulfilment) - set(Fulfilment.values):
        errors.setdefault("fulfilment", []).append("Choisissez au moins une façon de remettre vos commandes.")
    clean["fulfilment"] = [value for value in Fulfilment.values if value in fulfilment]
    if errors:
        raise ValidationError(errors)
    return clean


def application_token(*, application: ShopApplication) -> str:
    return signing.dumps([application.pk, application.nonce], salt=SALT, compress=True)


def application_edit_url(*, application: ShopApplication) -> str:
    from django.conf import settings

    path = reverse("town:join-edit", kwargs={"token": application_token(application=application)})
    return settings.HALLE_SITE_URL.rstrip("/") + path


def application_from_token(*, token: str) -> ShopApplication:
    """The application an applicant's link opens; ``ApplicationLinkInvalid`` with the reason otherwise."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise ApplicationLinkInvalid("Ce lien a expiré : écrivez au centre-ville pour en recevoir un nouveau.") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise ApplicationLinkInvalid("Ce lien n'est pas valide : vérifiez qu'il est complet.") from None
    application = ShopApplication.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if application is None or not secrets.compare_digest(str(nonce), application.nonce):
        raise ApplicationLinkInvalid("Ce lien n'est pas valide : vérifiez qu'il est complet.")
    return application


def _notify(application: ShopApplication, event: str, **context) -> None:
    email_enqueue(
        key=f"{TOPIC}:{application.pk}:{event}", topic=TOPIC, recipient=application.contact_email,
        template=f"town/email/application_{event.split(':')[0]}",
        context={"application": application, **context},
    )


def application_submit(*, data: dict) -> ShopApplication:
    """Record a new application (public form) and acknowledge it by e-mail."""
    clean = _cleaned(data)
    with transaction.atomic():
        if ShopApplication.objects.filter(siret=clean["siret"], status__in=OPEN_APPLICATION_STATUSES).exists():
            raise ValidationError({"siret": ALREADY_OPEN})
        if ShopApplication.objects.filter(siret=clean["siret"], status=ApplicationStatus.APPROVED).exists():
            raise ValidationError({"siret": "Ce commerce vend déjà sur Halle : connectez-vous à votre espace commerçant."})
        application = ShopApplication(**clean, nonce=secrets.token_urlsafe(24))
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # the same SIRET submitted twice at once
            raise ValidationError({"siret": ALREADY_OPEN}) from None
        _notify(application, "received", edit_url=application_edit_url(application=application))
    return application


def _locked(application: ShopApplication) -> ShopApplication:
    return ShopApplication.objects.select_for_update().get(pk=application.pk)


def _check_open(application: ShopApplication) -> None:
    if not application.is_open:
        raise ValidationError(ALREADY_DECIDED.format(status=application.get_status_display().lower()))


def application_update(*, application: ShopApplication, data: dict) -> ShopApplication:
    """The applicant's corrections (from their link): back to the manager's queue."""
    clean = _cleaned(data)
    with transaction.atomic():
        application = _locked(application)
        _check_open(application)
        if ShopApplication.objects.filter(siret=clean["siret"], status__in=OPEN_APPLICATION_STATUSES).exclude(
            pk=application.pk
        ).exists():
            raise ValidationError({"siret": ALREADY_OPEN})
        for name, value in clean.items():
            setattr(application, name, value)
        application.status = ApplicationStatus.SUBMITTED
        application.resubmitted_at = timezone.now()
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise ValidationError({"siret": ALREADY_OPEN}) from None
    return application


def application_changes_request(*, application: ShopApplication, by, message: str) -> ShopApplication:
    """Ask the applicant for changes: they get an e-mail with the link to edit their application."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Dites au commerçant ce qu'il doit modifier."})
    with transaction.atomic():
        application = _locked(application)
        _check_open(application)
        application.status = ApplicationStatus.CHANGES_REQUESTED
        application.changes_message = message[:2000]
        application.changes_round += 1
        application.reviewed_by, application.reviewed_at = by, timezone.now()
        application.save()
        _notify(application, f"changes:{application.changes_round}", edit_url=application_edit_url(application=application))
    return application


def application_decline(*, application: ShopApplication, by, reason: str) -> ShopApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Donnez le motif du refus : il est envoyé au commerçant."})
    with transaction.atomic():
        application = _locked(application)
        _check_open(application)
        application.status = ApplicationStatus.DECLINED
        application.decline_reason = reason[:2000]
        application.reviewed_by, application.reviewed_at = by, timezone.now()
        application.nonce = secrets.token_urlsafe(24)  # the edit link dies
        application.save()
        _notify(application, "declined")
    return application


def application_approve(*, application: ShopApplication, by):
    """Open the shop: its Partner and Shop, and the owner's invitation (as the dashboard's
    « Nouveau commerce » does); the applicant is told by e-mail. Returns the shop."""
    from marketplace.partner.models import Partner
    from shops.services import profile as shop_profile
    from shops.models import Shop, ShopRole
    from shops.staff.services import invitation_create

    with transaction.atomic():
        application = _locked(application)
        _check_open(application)
        slug = slugify(application.shop_name)[:128]
        if not slug or Shop.objects.filter(slug=slug).exists() or Partner.objects.filter(code=slug).exists():
            raise ValidationError(
                f"Un commerce s'appelle déjà « {application.shop_name} » : demandez au commerçant de préciser son nom."
            )
        shop = shop_profile.shop_create(
            name=application.shop_name, trade=application.trade, line1=application.line1,
            postcode=application.postcode, city=application.city, phone=application.contact_phone,
            email=application.contact_email,
        )
        invitation_create(shop=shop, email=application.contact_email, invited_by=by, role=ShopRole.OWNER)
        application.status, application.shop = ApplicationStatus.APPROVED, shop
        application.reviewed_by, application.reviewed_at = by, timezone.now()
        application.nonce = secrets.token_urlsafe(24)
        application.save()
        _notify(application, "approved")
    return shop

"""Couriers (a user with the courier role and a phone) and vehicles."""
from __future__ import annotations

import phonenumbers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.delivery.models import Courier

#: The courier role: members reach ``/livraison/`` (their rounds, next issue).
COURIER_GROUP = "Coursiers"


def phone_normalised(*, phone: str) -> str:
    """A French (or international) phone number in E.164; ``ValidationError`` in French otherwise."""
    try:
        number = phonenumbers.parse((phone or "").strip(), "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Numéro de téléphone illisible : écrivez par exemple 06 12 34 56 78.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Ce numéro de téléphone n'existe pas : vérifiez-le."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def courier_create(*, email: str, first_name: str, last_name: str, phone: str, password: str | None = None) -> Courier:
    """A courier: the account (created if new, found by e-mail otherwise), the role, the phone."""
    normalised = phone_normalised(phone=phone)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(_("Indiquez l'adresse e-mail du coursier."))
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email[:150], email=email, first_name=first_name, last_name=last_name)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        if Courier.objects.filter(user=user).exists():
            raise ValidationError(_("Ce compte est déjà coursier."))
        user.groups.add(Group.objects.get_or_create(name=COURIER_GROUP)[0])
        return Courier.objects.create(user=user, phone=normalised)


def courier_deactivate(*, courier: Courier) -> Courier:
    """The courier stops: no new shift, the role goes; past shifts stay (history)."""
    with transaction.atomic():
        courier.is_active = False
        courier.save(update_fields=["is_active", "updated_at"])
        courier.user.groups.remove(*Group.objects.filter(name=COURIER_GROUP))
    return courier

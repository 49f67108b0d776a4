"""Voucher codes of a campaign: single codes, generated batches, CSV import and export, and
their uses counted without races.

The codes are Oscar's ``Voucher`` rows (Oscar's applicator finds the basket's vouchers and
applies their offer); Oscar's own usage rule is checked on the basket and recorded after
the order, unconditionally, so two shoppers racing for the last use both get it (Oscar
#2101, #4580). Each code here has a ``VoucherQuota`` (uses per code, per customer) taken
at placement under the quota's row lock, ``uses <= max_uses`` backed by a CheckConstraint.
"""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.promotions import locks
from marketplace.promotions.models import Campaign, VoucherBatch, VoucherQuota, VoucherUse

Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")

#: No 0/O, 1/I/L: codes are typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_BATCH = 5000


class VoucherInputError(Exception):
    """Bad input for codes (French message, nothing written)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def code_normalised(code: str) -> str:
    return (code or "").strip().upper()


def code_taken(*, code: str) -> bool:
    return Voucher.objects.filter(code__iexact=code_normalised(code)).exists()


def _voucher_made(*, campaign: Campaign, code: str, max_uses: int, max_uses_per_customer: int | None,
                  batch: VoucherBatch | None) -> Voucher:
    offer = campaign.offer
    voucher = Voucher.objects.create(
        name=f"{offer.name} {code}"[:128], code=code, usage=Voucher.MULTI_USE,
        start_datetime=offer.start_datetime, end_datetime=offer.end_datetime,
    )
    voucher.offers.add(offer)
    VoucherQuota.objects.create(voucher=voucher, batch=batch, max_uses=max_uses,
                                max_uses_per_customer=max_uses_per_customer)
    return voucher


def _check_uses(max_uses, max_uses_per_customer) -> None:
    if not max_uses or max_uses < 1:
        raise VoucherInputError([_("Le nombre d'utilisations par code doit être d'au moins 1.")])
    if max_uses_per_customer is not None and max_uses_per_customer < 1:
        raise VoucherInputError([_("Le nombre d'utilisations par client doit être d'au moins 1.")])


def _campaign_for_codes(campaign: Campaign) -> None:
    if campaign.offer.offer_type != ConditionalOffer.VOUCHER:
        raise VoucherInputError([_("Cette campagne ne fonctionne pas avec des codes : choisissez « avec un code ».")])


def voucher_create(*, campaign: Campaign, code: str, max_uses: int, max_uses_per_customer: int | None = None) -> Voucher:
    """One code of ``campaign``. Raises ``VoucherInputError`` (nothing written)."""
    code = code_normalised(code)
    _campaign_for_codes(campaign)
    _check_uses(max_uses, max_uses_per_customer)
    if not code or len(code) > 128 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise VoucherInputError([_("Un code ne contient que des lettres, des chiffres, « - » ou « _ ».")])
    if code_taken(code=code):
        raise VoucherInputError([_("Le code « %(code)s » est déjà utilisé.") % {"code": code}])
    try:
        with transaction.atomic():
            return _voucher_made(campaign=campaign, code=code, max_uses=max_uses,
                                 max_uses_per_customer=max_uses_per_customer, batch=None)
    except IntegrityError:
        raise VoucherInputError([_("Le code « %(code)s » est déjà utilisé.") % {"code": code}]) from None


def _fresh_code(prefix: str, length: int, taken: set[str]) -> str:
    while True:
        code = prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        if code not in taken:
            taken.add(code)
            return code


def voucher_batch_generate(*, campaign: Campaign, name: str, count: int, max_uses: int = 1,
                           max_uses_per_customer: int | None = 1, prefix: str = "", user=None) -> VoucherBatch:
    """``count`` new random codes of ``campaign`` in one batch (all or nothing)."""
    _campaign_for_codes(campaign)
    _check_uses(max_uses, max_uses_per_customer)
    if not 1 <= count <= MAX_BATCH:
        raise VoucherInputError([_("Un lot compte de 1 à %(max)s codes.") % {"max": MAX_BATCH}])
    prefix = code_normalised(prefix)
    if not all(ch.isalnum() for ch in prefix) or len(prefix) > 12:
        raise VoucherInputError([_("Le préfixe ne contient que des lettres et des chiffres (12 au plus).")])
    taken = set(Voucher.objects.filter(code__startswith=prefix).values_list("code", flat=True)) if prefix else set()
    with transaction.atomic():
        batch = VoucherBatch.objects.create(name=name.strip() or campaign.offer.name, campaign=campaign,
                                            created_by=user)
        for _n in range(count):
            code = _fresh_code(prefix, 8, taken)
            while not prefix and Voucher.objects.filter(code=code).exists():
                code = _fresh_code(prefix, 8, taken)
            _voucher_made(campaign=campaign, code=code, max_uses=max_uses,
                          max_uses_per_customer=max_uses_per_customer, batch=batch)
    return batch


@dataclass
class ImportedCodes:
    batch: VoucherBatch
    count: int


def voucher_codes_import(*, campaign: Campaign, name: str, data: bytes | str, max_uses: int = 1,
                         max_uses_per_customer: int | None = 1, user=None) -> ImportedCodes:
    """Codes from a CSV (a ``code`` column, or one code per line), all or nothing.

    Rejects, with their line numbers: empty or malformed codes, codes twice in the file,
    codes that already exist.
    """
    _campaign_for_codes(campaign)
    _check_uses(max_uses, max_uses_per_customer)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise VoucherInputError([_("Le fichier doit être un CSV en UTF-8.")]) from None
    rows = list(csv.reader(io.StringIO(data), delimiter=";" if ";" in data.split("\n", 1)[0] else ","))
    start = 1
    if rows and rows[0] and code_normalised(rows[0][0]) == "CODE":
        rows, start = rows[1:], 2
    errors: list[str] = []
    seen: dict[str, int] = {}
    codes: list[tuple[int, str]] = []
    for number, row in enumerate(rows, start=start):
        code = code_normalised(row[0] if row else "")
        if not code:
            continue
        if len(code) > 128 or not all(ch.isalnum() or ch in "-_" for ch in code):
            errors.append(_("Ligne %(n)s : « %(code)s » n'est pas un code valable (lettres, chiffres, - ou _).")
                          % {"n": number, "code": code[:40]})
        elif code in seen:
            errors.append(_("Ligne %(n)s : le code « %(code)s » figure déjà ligne %(first)s.")
                          % {"n": number, "code": code, "first": seen[code]})
        else:
            seen[code] = number
            codes.append((number, code))
    existing = set(Voucher.objects.filter(code__in=[c for _n, c in codes]).values_list("code", flat=True))
    errors += [_("Ligne %(n)s : le code « %(code)s » est déjà utilisé.") % {"n": n, "code": c}
               for n, c in codes if c in existing]
    if not codes and not errors:
        errors.append(_("Le fichier ne contient aucun code."))
    if errors:
        raise VoucherInputError(errors)
    try:
        with transaction.atomic():
            batch = VoucherBatch.objects.create(name=name.strip() or campaign.offer.name, campaign=campaign,
                                                created_by=user)
            for _n, code in codes:
                _voucher_made(campaign=campaign, code=code, max_uses=max_uses,
                              max_uses_per_customer=max_uses_per_customer, batch=batch)
    except IntegrityError:
        raise VoucherInputError([_("Un des codes vient d'être créé par ailleurs : réessayez.")]) from None
    return ImportedCodes(batch=batch, count=len(codes))


def voucher_batch_csv(*, batch: VoucherBatch) -> str:
    """The batch's codes for printing: code; uses per code; per customer; valid from; until."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("code"), _("utilisations par code"), _("par client"), _("valable du"), _("au")])
    offer = batch.campaign.offer
    for quota in batch.quotas.select_related("voucher").order_by("voucher__code"):
        writer.writerow([quota.voucher.code, quota.max_uses, quota.max_uses_per_customer or "",
                         offer.start_datetime.date().isoformat() if offer.start_datetime else "",
                         offer.end_datetime.date().isoformat() if offer.end_datetime else ""])
    return out.getvalue()


def _customer_key(order) -> str:
    if order.user_id:
        return f"user:{order.user_id}"
    return f"email:{(order.guest_email or '').strip().lower()}"


def order_vouchers_use(*, order) -> None:
    """Count one use of each code the order used, under the codes' locks (placement's transaction).

    Raises ``PromotionChanged`` when a code has no use left, overall or for this customer.
    """
    from marketplace.promotions.services.budget import PromotionChanged

    codes = dict(order.discounts.filter(voucher_id__isnull=False).values_list("voucher_id", "voucher_code"))
    quotas = locks.voucher_quotas_lock(voucher_ids=codes)
    key = _customer_key(order)
    for voucher_id, quota in quotas.items():
        if quota.uses >= quota.max_uses:
            raise PromotionChanged(_("Le code « %(code)s » a déjà servi autant de fois que prévu : "
                                     "retirez-le de votre panier.") % {"code": codes[voucher_id]})
        if quota.max_uses_per_customer and quota.use_rows.filter(customer_key=key).count() >= quota.max_uses_per_customer:
            raise PromotionChanged(_("Vous avez déjà utilisé le code « %(code)s » autant de fois que permis : "
                                     "retirez-le de votre panier.") % {"code": codes[voucher_id]})
        quota.uses += 1
        quota.save(update_fields=["uses"])
        VoucherUse.objects.create(quota=quota, order=order, customer_key=key)

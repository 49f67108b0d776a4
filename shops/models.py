from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import (  # noqa: F401 (Weekday is part of this module's API)
    ClosurePeriod,
    TimeStampedModel,
    Weekday,
    WeeklyOpeningPeriod,
)


class Trade(models.TextChoices):
    BOULANGERIE = "boulangerie", _("Boulangerie-pâtisserie")
    BOUCHERIE = "boucherie", _("Boucherie-charcuterie")
    FROMAGERIE = "fromagerie", _("Fromagerie")
    PRIMEUR = "primeur", _("Primeur")
    EPICERIE = "epicerie", _("Épicerie fine")
    CAVISTE = "caviste", _("Caviste")
    LIBRAIRIE = "librairie", _("Librairie")
    FLEURISTE = "fleuriste", _("Fleuriste")
    CHAUSSURES = "chaussures", _("Chaussures")
    VETEMENTS = "vetements", _("Prêt-à-porter")
    QUINCAILLERIE = "quincaillerie", _("Quincaillerie")
    JOUETS = "jouets", _("Jouets")
    CHOCOLATIER = "chocolatier", _("Chocolatier")
    PARFUMERIE = "parfumerie", _("Parfumerie")
    SPORT = "sport", _("Articles de sport")


class ShopStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    SUSPENDED = "suspended", _("Suspendu")


class Shop(TimeStampedModel):
    """A town-centre shop; its staff are the users of its Oscar ``Partner``."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="shop", verbose_name=_("partenaire")
    )
    name = models.CharField(_("nom"), max_length=128)
    slug = models.SlugField(_("identifiant d'URL"), max_length=140, unique=True)
    trade = models.CharField(_("métier"), max_length=32, choices=Trade.choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    line1 = models.CharField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=10)
    city = models.CharField(_("ville"), max_length=128)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ShopStatus.choices, default=ShopStatus.ACTIVE, db_index=True
    )
    vacation_mode = models.BooleanField(
        _("mode vacances"), default=False, help_text=_("Masque les produits à la vente sans les supprimer.")
    )
    preparation_minutes = models.PositiveIntegerField(_("temps de préparation (minutes)"), default=60)
    daily_order_cap = models.PositiveIntegerField(_("commandes maximum par jour"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commerce")
        verbose_name_plural = _("commerces")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="shop_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="shop_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shops:detail", kwargs={"slug": self.slug})

    @property
    def is_selling(self) -> bool:
        """Whether shoppers may buy from this shop now (not suspended, not on holiday)."""
        return self.status == ShopStatus.ACTIVE and not self.vacation_mode

    @property
    def address(self) -> str:
        return f"{self.line1}, {self.postcode} {self.city}"


class OpeningPeriod(WeeklyOpeningPeriod):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="opening_periods")

    class Meta(WeeklyOpeningPeriod.Meta):
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")


class Closure(ClosurePeriod):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="closures")

    class Meta(ClosurePeriod.Meta):
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")


class ShopPhoto(models.Model):
    """A picture of the shop (front, counter, products) shown on its page."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="photos", verbose_name=_("commerce"))
    image = models.ImageField(
        _("photo"), upload_to="shops/%Y/%m/", width_field="width", height_field="height", max_length=255
    )
    width = models.PositiveIntegerField(_("largeur (px)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("hauteur (px)"), null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=200,
        help_text=_("Décrit la photo pour les personnes qui ne la voient pas, ex. « La vitrine de la boutique »."),
    )
    display_order = models.PositiveIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("photo du commerce")
        verbose_name_plural = _("photos du commerce")
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="shop_photo_alt_text_required"),
        ]

    def __str__(self) -> str:
        return self.alt_text


class StockImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("prêt à appliquer")
    RUNNING = "running", _("en cours")
    APPLIED = "applied", _("appliqué")
    REFUSED = "refused", _("refusé")


class StockImport(models.Model):
    """One CSV import of prices and stock by a merchant, kept whatever its outcome.

    ``rows`` holds the parsed rows (``{"line", "sku", "price", "stock"}``, prices as
    strings) and ``errors`` the row-level errors (``{"line", "column", "message"}``).
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="stock_imports", verbose_name=_("commerce"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("auteur")
    )
    file_name = models.CharField(_("nom du fichier"), max_length=255)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=StockImportStatus.choices, default=StockImportStatus.PREVIEWED
    )
    rows = models.JSONField(_("lignes"), default=list, blank=True)
    errors = models.JSONField(_("erreurs"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("nombre de lignes"), default=0)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import de stock")
        verbose_name_plural = _("imports de stock")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


# --- Staff, invitations and the till/POS API -------------------------------------------


class ShopRole(models.TextChoices):
    OWNER = "owner", _("gérant")
    STAFF = "staff", _("employé")


class ShopMember(models.Model):
    """The role of one of the shop's staff (a user of its ``Partner``).

    Being staff is membership of ``Partner.users`` (what Oscar knows); this row
    only says who may manage staff, API tokens and payment settings. A partner
    user without a row is plain staff (least privilege).
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="members", verbose_name=_("commerce"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships", verbose_name=_("utilisateur")
    )
    role = models.CharField(_("rôle"), max_length=16, choices=ShopRole.choices, default=ShopRole.STAFF)
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        ordering = ["shop", "role", "pk"]
        verbose_name = _("membre du commerce")
        verbose_name_plural = _("membres du commerce")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shop_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.shop})"


class ShopInvitation(models.Model):
    """An e-mailed invitation to join a shop's staff; its link carries a signed, expiring token.

    The token signs ``pk`` and ``nonce``: a link cannot be forged from an id, and
    cancelling or accepting the invitation makes its link useless.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("commerce"))
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=16, choices=ShopRole.choices, default=ShopRole.STAFF)
    nonce = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invité par"),
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("acceptée par"),
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "email"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="shop_invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.shop}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class ApiToken(models.Model):
    """A till/POS system's key to one shop's stock and prices; only its SHA-256 is stored."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("commerce"))
    name = models.CharField(_("nom"), max_length=100, help_text=_("Par exemple « Caisse du comptoir »."))
    prefix = models.CharField(_("début du jeton"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiIdempotentResponse(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key``, replayed for the same key.

    ``fingerprint`` hashes method, path and body: the same key with another
    request is refused. Rows older than a day are purged.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("réponse idempotente")
        verbose_name_plural = _("réponses idempotentes")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="shop_api_idempotency_key_unique"),
        ]

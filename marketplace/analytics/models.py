"""Town-centre analytics: roll-up tables, footfall counts and the town's open data.

This app is Oscar's ``analytics`` forked (its product and user counters are
imported at the end, unchanged) so that Halle's figures live under the same label.

Roll-ups. Every figure the manager's and merchants' pages show is read from the
``*Fact`` tables below, one row per day (and shop, hour, product or collection
point), never from the orders themselves: a page costs the same at 100 orders and
at 100,000. The facts of a day are always recomputed *whole* from the raw rows
(orders, shop orders, lines, the payments ledger, slots) by
``marketplace.analytics.facts``, so updating a day twice, or rebuilding every
day, gives the same rows.

Convention ("as it happened"): each event counts on the town's calendar day on
which it happened — an order on the day it was placed, a capture or a refund on
the day the ledger recorded it (a sale refunded later lowers the net sales of
the day of the refund, not of the sale), a no-show or a cancellation on the day
it was declared, a pickup on the day it was collected, and a drop or a counter
preparation on the day of its slot (it is judged against the slot's start).

Amounts are integer cents, incl. VAT, like the ledger's.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class DailyShopFact(models.Model):
    """One shop's day (see the module's docstring for the day each figure counts on)."""

    day = models.DateField(_("jour"))
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("commerce"))
    orders = _count(_("commandes"))  # the shop's parts of the orders placed that day
    multi_shop_orders = _count(_("commandes multi-commerces"))  # of those, in a basket of two shops or more
    new_shopper_orders = _count(_("commandes de nouveaux clients"))  # of those, the shopper's first order in town
    items = _count(_("articles commandés"))
    ordered_cents = models.BigIntegerField(_("montant commandé TTC (centimes)"), default=0)
    captured_cents = models.BigIntegerField(_("encaissé TTC (centimes)"), default=0)
    refunded_cents = models.BigIntegerField(_("remboursé TTC (centimes)"), default=0)
    commission_cents = models.BigIntegerField(_("commission (centimes)"), default=0)
    promotion_cents = models.BigIntegerField(_("remises financées par la ville (centimes)"), default=0)
    drops_due = _count(_("dépôts attendus au point"))
    drops_on_time = _count(_("dépôts à l'heure"))
    ready_due = _count(_("préparations attendues au comptoir"))
    ready_on_time = _count(_("préparations à l'heure"))
    pickups = _count(_("retraits"))
    pickups_on_time = _count(_("retraits dans le créneau"))
    no_shows = _count(_("commandes non retirées"))
    cancellations = _count(_("annulations"))

    class Meta:
        verbose_name = _("journée d'un commerce")
        verbose_name_plural = _("journées des commerces")
        ordering = ("day", "shop")
        constraints = (models.UniqueConstraint(fields=["day", "shop"], name="analytics_shop_day_once"),)
        indexes = (models.Index(fields=["shop", "day"], name="analytics_shop_day"),)


class DailyTownFact(models.Model):
    """The town's day: whole orders (a multi-shop basket is one order here)."""

    day = models.DateField(_("jour"), unique=True)
    orders = _count(_("commandes"))
    multi_shop_orders = _count(_("commandes multi-commerces"))
    new_shopper_orders = _count(_("commandes de nouveaux clients"))
    shoppers = _count(_("clients"))
    ordered_cents = models.BigIntegerField(_("montant commandé TTC (centimes)"), default=0)
    fee_cents = models.BigIntegerField(_("frais conservés (centimes)"), default=0)

    class Meta:
        verbose_name = _("journée de la ville")
        verbose_name_plural = _("journées de la ville")
        ordering = ("day",)


class HourlyShopFact(models.Model):
    """A shop's orders by the hour they were placed (town time)."""

    day = models.DateField(_("jour"))
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField(_("heure"))
    orders = _count(_("commandes"))
    ordered_cents = models.BigIntegerField(_("montant commandé TTC (centimes)"), default=0)

    class Meta:
        verbose_name = _("heure d'un commerce")
        verbose_name_plural = _("heures des commerces")
        constraints = (
            models.UniqueConstraint(fields=["day", "shop", "hour"], name="analytics_shop_hour_once"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="analytics_shop_hour_range"),
        )
        indexes = (models.Index(fields=["shop", "day"], name="analytics_shop_hour_day"),)


class ProductDayFact(models.Model):
    """Units and value of one product a shop sold on a day (at placement)."""

    day = models.DateField(_("jour"))
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalogue.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("produit"), max_length=255)
    units = _count(_("unités"))
    ordered_cents = models.BigIntegerField(_("montant commandé TTC (centimes)"), default=0)

    class Meta:
        verbose_name = _("produit du jour")
        verbose_name_plural = _("produits du jour")
        constraints = (
            models.UniqueConstraint(
                fields=["day", "shop", "product"], condition=Q(product__isnull=False), name="analytics_product_day_once"
            ),
            models.UniqueConstraint(
                fields=["day", "shop", "title"], condition=Q(product__isnull=True), name="analytics_gone_product_day_once"
            ),
        )
        indexes = (models.Index(fields=["shop", "day"], name="analytics_product_shop_day"),)


class SlotUseFact(models.Model):
    """Capacity and bookings of a collection point's slots starting in one hour of a day."""

    day = models.DateField(_("jour"))
    point = models.ForeignKey("logistics.CollectionPoint", on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField(_("heure"))
    slots = _count(_("créneaux"))
    capacity = _count(_("capacité"))
    booked = _count(_("réservations"))

    class Meta:
        verbose_name = _("occupation des créneaux")
        verbose_name_plural = _("occupation des créneaux")
        constraints = (
            models.UniqueConstraint(fields=["day", "point", "hour"], name="analytics_slot_use_once"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="analytics_slot_use_hour_range"),
        )


class RollupState(models.Model):
    """Where the incremental update stopped; its row is the roll-ups' one lock."""

    name = models.CharField(max_length=32, unique=True)
    watermark = models.DateTimeField(_("changements lus jusqu'au"), null=True, blank=True)
    updated_at = models.DateTimeField(_("dernière mise à jour"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("dernière reconstruction"), null=True, blank=True)

    class Meta:
        verbose_name = _("état des agrégats")
        verbose_name_plural = _("états des agrégats")


# --- footfall ---------------------------------------------------------------------------


class CountingSite(models.Model):
    """A footfall counter of the town centre (``site_id`` of the national counting schema)."""

    code = models.CharField(_("identifiant du site (site_id)"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=128)
    street = models.CharField(_("rue"), max_length=128, help_text=_("La rue des commerces que ce compteur voit passer."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("street", "name")
        verbose_name = _("site de comptage")
        verbose_name_plural = _("sites de comptage")
        constraints = (
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="counting_site_latitude"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="counting_site_longitude"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class FootfallImportStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("importé")
    REFUSED = "refused", _("refusé")


class FootfallImport(models.Model):
    """One footfall file, kept whatever its outcome; ``errors``: ``[{"line", "message"}]``."""

    file = models.FileField(_("fichier"), upload_to="footfall/%Y/%m/", max_length=255)
    file_name = models.CharField(_("nom du fichier"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=FootfallImportStatus.choices, default=FootfallImportStatus.PENDING
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("lignes importées"), default=0)
    errors = models.JSONField(_("erreurs"), default=list, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("import de comptages")
        verbose_name_plural = _("imports de comptages")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class FootfallSpan(models.Model):
    """The time an import covers for one channel of one site: imports may not overlap."""

    footfall_import = models.ForeignKey(FootfallImport, on_delete=models.CASCADE, related_name="spans")
    site = models.ForeignKey(CountingSite, on_delete=models.CASCADE, related_name="spans")
    channel = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=["site", "channel", "starts_at"], name="footfall_span_site_start"),)
        constraints = (
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="footfall_span_order"),
        )


class FootfallCount(models.Model):
    """Passers-by counted by one channel (a direction, a kind of traffic) of a site in one time step."""

    footfall_import = models.ForeignKey(FootfallImport, on_delete=models.CASCADE, related_name="counts")
    site = models.ForeignKey(CountingSite, on_delete=models.CASCADE, related_name="counts")
    channel = models.CharField(_("channel_id"), max_length=64)
    direction = models.CharField(_("sens"), max_length=32, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    count = models.DecimalField(_("passages"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("comptage")
        verbose_name_plural = _("comptages")
        constraints = (
            models.UniqueConstraint(fields=["site", "channel", "starts_at"], name="footfall_count_once"),
            models.CheckConstraint(condition=Q(count__gte=0), name="footfall_count_not_negative"),
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="footfall_count_order"),
        )


class FootfallHourFact(models.Model):
    """Passers-by of a site in one hour of a day (town time), all channels together."""

    day = models.DateField(_("jour"))
    site = models.ForeignKey(CountingSite, on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField(_("heure"))
    passers = models.DecimalField(_("passages"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["day", "site", "hour"], name="footfall_hour_once"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="footfall_hour_range"),
        )


# --- open data --------------------------------------------------------------------------


class OpenDataset(models.Model):
    """One published dataset as it was last generated (served as is: stable URLs, one query)."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=160)
    description = models.TextField()
    fields = models.JSONField(default=list)  # Table Schema fields
    primary_key = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    csv = models.TextField()
    json = models.TextField()
    geojson = models.TextField(blank=True)
    generated_at = models.DateTimeField()
    cells_published = models.PositiveIntegerField(default=0)
    cells_suppressed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("jeu de données ouvert")
        verbose_name_plural = _("jeux de données ouverts")

    def __str__(self) -> str:
        return self.title


from oscar.apps.analytics.models import *

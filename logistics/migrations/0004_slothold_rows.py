"""Slot holds (2/3): every existing row gets its basket and shop part from its "basket:shop" string.

``"<basket>"`` becomes (basket, no shop) and ``"<basket>:<shop id>"`` (basket, that shop);
should a basket part hold two slots at once (a race the constraints of 0005 forbid), the
older holds are released and their places given back. Reversible.
"""
from django.db import migrations, models

BATCH = 2000


def keys_split(apps, schema_editor):
    SlotHold = apps.get_model("logistics", "SlotHold")
    rows = list(SlotHold.objects.only("pk", "basket_key").order_by("pk"))
    for hold in rows:
        basket, sep, shop = hold.basket_key.partition(":")
        if not basket.isdigit() or (sep and not shop.isdigit()):
            raise RuntimeError(
                f"Créneau retenu {hold.pk} : clé de panier « {hold.basket_key} » illisible "
                "(attendu « <panier> » ou « <panier>:<commerce> »)."
            )
        hold.basket_id, hold.shop_id = int(basket), int(shop) if sep else None
    SlotHold.objects.bulk_update(rows, ["basket_id", "shop_id"], batch_size=BATCH)
    _duplicates_release(apps)


def _duplicates_release(apps):
    """Two ``held`` holds of one basket part (two clicks racing before the constraint existed):
    the newest stays, the others are released and their places given back to their slots."""
    SlotHold = apps.get_model("logistics", "SlotHold")
    Slot = apps.get_model("logistics", "Slot")
    seen = set()
    for hold in SlotHold.objects.filter(status="held").order_by("-created_at", "-pk"):
        part = (hold.basket_id, hold.shop_id)
        if part not in seen:
            seen.add(part)
            continue
        SlotHold.objects.filter(pk=hold.pk).update(status="released")
        Slot.objects.filter(pk=hold.slot_id).update(held=models.F("held") - 1)


def keys_join(apps, schema_editor):
    SlotHold = apps.get_model("logistics", "SlotHold")
    rows = list(SlotHold.objects.only("pk", "basket_id", "shop_id").order_by("pk"))
    for hold in rows:
        hold.basket_key = f"{hold.basket_id}:{hold.shop_id}" if hold.shop_id else str(hold.basket_id)
    SlotHold.objects.bulk_update(rows, ["basket_key"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0003_slothold_basket_and_shop"),
    ]

    operations = [
        migrations.RunPython(keys_split, keys_join),
    ]

"""Slot holds (3/3): the basket's id required, the old "basket:shop" string gone, one held
slot per basket part at a time."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0004_slothold_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="slothold",
            name="basket_id",
            field=models.PositiveBigIntegerField(db_index=True, verbose_name="panier"),
        ),
        migrations.RemoveField(model_name="slothold", name="basket_key"),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.CheckConstraint(condition=models.Q(basket_id__gte=1), name="slot_hold_basket_id_positive"),
        ),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.UniqueConstraint(
                condition=models.Q(shop__isnull=True, status="held"), fields=("basket_id",),
                name="slot_hold_one_held_per_basket",
            ),
        ),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.UniqueConstraint(
                condition=models.Q(shop__isnull=False, status="held"), fields=("basket_id", "shop"),
                name="slot_hold_one_held_per_basket_shop",
            ),
        ),
    ]

"""A slot hold names its basket and its shop part in real columns, not a "basket:shop" string
(1/3: the columns; 0004 fills them from every existing row, 0005 drops the string and adds
the constraints: each in its own transaction, as PostgreSQL alters no table whose rows
changed in the same transaction with foreign-key checks pending).
"""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0002_shared_period_bases"),
        ("shops", "0006_owners_and_dashboard_access"),
    ]

    operations = [
        migrations.RenameField(model_name="slothold", old_name="basket_id", new_name="basket_key"),
        # Without its index (the new column's index takes that name) and nullable (reversible).
        migrations.AlterField(
            model_name="slothold",
            name="basket_key",
            field=models.CharField(max_length=64, null=True, verbose_name="panier"),
        ),
        migrations.AddField(
            model_name="slothold",
            name="basket_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="panier"),
        ),
        migrations.AddField(
            model_name="slothold",
            name="shop",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="shops.shop", verbose_name="commerce (retrait au comptoir)",
            ),
        ),
    ]

from decimal import Decimal

from django.db import migrations

PLANS = (
    ("collectif", "Collectif", Decimal("5.50"), True),
    ("solo", "Solo", Decimal("9.00"), False),
)


def create_plans(apps, schema_editor):
    CommissionPlan = apps.get_model("payments", "CommissionPlan")
    for code, name, rate, is_default in PLANS:
        CommissionPlan.objects.get_or_create(code=code, defaults={"name": name, "rate": rate, "is_default": is_default})


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]

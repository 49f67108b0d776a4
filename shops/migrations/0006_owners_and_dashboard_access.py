"""Existing shop staff: the first user of each shop becomes its owner; merchants lose Oscar's
``partner.dashboard_access`` (Oscar's dashboard is for the town-centre manager only: its
partner views show whole multi-shop orders, django-oscar #2240)."""
from django.db import migrations


def forwards(apps, schema_editor):
    Shop = apps.get_model("shops", "Shop")
    ShopMember = apps.get_model("shops", "ShopMember")
    Permission = apps.get_model("auth", "Permission")
    for shop in Shop.objects.select_related("partner").order_by("pk"):
        users = list(shop.partner.users.order_by("pk"))
        for index, user in enumerate(users):
            ShopMember.objects.get_or_create(
                shop=shop, user=user, defaults={"role": "owner" if index == 0 else "staff"}
            )
    permission = Permission.objects.filter(codename="dashboard_access", content_type__app_label="partner").first()
    if permission is not None:
        permission.user_set.remove(*permission.user_set.filter(is_staff=False))


class Migration(migrations.Migration):
    dependencies = [
        ("shops", "0005_staff_invitations_api_tokens"),
        ("partner", "0008_stockrecord_constraints"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

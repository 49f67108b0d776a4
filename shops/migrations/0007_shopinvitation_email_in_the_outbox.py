"""The invitation e-mail is an outbox row now (``notifications.OutboxEmail``, which records when
it was sent): the invitation's own ``email_sent_at`` goes."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("shops", "0006_owners_and_dashboard_access"),
    ]

    operations = [
        migrations.RemoveField(model_name="shopinvitation", name="email_sent_at"),
    ]

"""The manager's space under real concurrency on PostgreSQL (threads, one connection each):
an application approved twice at once opens one shop; a letter delivered by two workers at
once reaches each subscriber once; an unsubscription racing a delivery is honoured."""
from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from marketplace.notifications.models import EmailStatus, OutboxEmail
from marketplace.partner.models import Partner
from marketplace.town.models import ApplicationStatus, NewsletterSubscription
from marketplace.town.services import applications, newsletter
from shops.models import Shop, ShopInvitation
from tests.concurrency.threads import run_together, unexpected
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_approving_the_same_application_at_once_open_one_shop():
    assert connection.vendor == "postgresql"
    manager = UserFactory(username="manon", is_staff=True)
    application = applications.application_submit(data={
        "shop_name": "Cave du Beffroi", "trade": "caviste", "line1": "2 rue", "postcode": "45210", "city": "Beaumont",
        "siret": "73282932000074", "contact_name": "Paul", "contact_email": "paul@cave.test",
        "contact_phone": "0238000000", "products": "Vins", "fulfilment": ["boutique"], "message": "",
    })
    results = run_together(4, lambda i: applications.application_approve(application=application, by=manager))
    shops = [r for r in results if isinstance(r, Shop)]
    assert len(shops) == 1, unexpected(results, Shop, Exception)
    assert all("déjà été traitée" in str(r) for r in results if not isinstance(r, Shop))
    assert Shop.objects.count() == 1 and Partner.objects.count() == 1 and ShopInvitation.objects.count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def _subscribers(n: int) -> list[NewsletterSubscription]:
    return [newsletter.subscription_subscribe(user=UserFactory(username=f"abonne{i}")) for i in range(n)]


def test_two_deliveries_of_a_letter_at_once_email_each_subscriber_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    manager = UserFactory(username="manon", is_staff=True)
    subscribers = _subscribers(30)
    letter = newsletter.newsletter_save(data={"subject": "Braderie", "body": "Samedi"}, by=manager)
    newsletter.newsletter_send(newsletter=letter, by=manager)  # also delivers once, after commit
    mail.outbox.clear()
    OutboxEmail.objects.all().delete()
    results = run_together(3, lambda i: newsletter.newsletter_deliver(newsletter_id=letter.pk))
    assert sum(r for r in results if isinstance(r, int)) == 30, unexpected(results, int)
    assert Counter(OutboxEmail.objects.values_list("recipient", flat=True)) == Counter(s.email for s in subscribers)
    assert Counter(m.to[0] for m in mail.outbox) == Counter(s.email for s in subscribers)


def test_an_unsubscription_racing_a_delivery_leaves_nothing_owed_to_that_address():
    manager = UserFactory(username="manon", is_staff=True)
    subscribers = _subscribers(40)
    leaving = subscribers[25]
    letter = newsletter.newsletter_save(data={"subject": "Braderie", "body": "Samedi"}, by=manager)
    from django.utils import timezone

    from marketplace.town.models import Newsletter

    Newsletter.objects.filter(pk=letter.pk).update(sent_at=timezone.now())

    def work(i):
        if i == 0:
            return newsletter.newsletter_deliver(newsletter_id=letter.pk)
        return newsletter.subscription_unsubscribe(subscription=leaving)

    results = run_together(2, work)
    assert not unexpected(results, int, NewsletterSubscription)
    leaving.refresh_from_db()
    rows = list(OutboxEmail.objects.filter(recipient=leaving.email))
    assert leaving.unsubscribed_at is not None
    assert all(row.status in (EmailStatus.CANCELLED, EmailStatus.SENT) for row in rows)
    assert all(row.sent_at <= leaving.unsubscribed_at for row in rows if row.status == EmailStatus.SENT)
    assert OutboxEmail.objects.exclude(recipient=leaving.email).count() == 39

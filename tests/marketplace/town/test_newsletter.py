"""The town's newsletter: shoppers opt in (consent and its date recorded), each letter goes
through the outbox once per recipient, and the unsubscribe link works without logging in
and is honoured at once (what is still queued for that address is cancelled)."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from marketplace.notifications.models import EmailStatus, OutboxEmail
from marketplace.town.models import Newsletter, NewsletterSubscription
from marketplace.town.services import newsletter as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def subscribed(n: int) -> list[NewsletterSubscription]:
    return [services.subscription_subscribe(user=UserFactory(username=f"abonne{i}")) for i in range(n)]


def letter(manager, subject="Marché de Noël") -> Newsletter:
    return services.newsletter_save(data={"subject": subject, "body": "<p>Venez <em>nombreux</em></p>"}, by=manager)


def test_a_shopper_opts_in_from_the_newsletter_page_with_the_consent_recorded(client):
    user = UserFactory(username="claire", email="Claire@Halle.test")
    client.force_login(user)
    assert client.post("/lettre/", {}).status_code == 302  # no tick: nothing recorded
    assert not NewsletterSubscription.objects.exists()
    client.post("/lettre/", {"consent": "on"})
    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == "claire@halle.test" and subscription.user == user
    assert subscription.consented_at is not None and subscription.consent_text == services.CONSENT_TEXT
    assert "Vous êtes abonné avec claire@halle.test" in client.get("/lettre/").content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in(client):
    assert "Se connecter" in client.get("/lettre/").content.decode()
    assert client.post("/lettre/", {"consent": "on"})["Location"].startswith("/accounts/login/")
    assert not NewsletterSubscription.objects.exists()


def test_a_letter_is_emailed_once_to_each_subscriber_with_its_own_unsubscribe_link(
    manager_client, manager, django_capture_on_commit_callbacks
):
    subscribed(3)
    gone = services.subscription_subscribe(user=UserFactory(username="parti"))
    services.subscription_unsubscribe(subscription=gone)  # gone before the letter: not sent
    draft = letter(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/gestion/contenu/lettres/{draft.pk}/", {"action": "send"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["abonne0@halle.test", "abonne1@halle.test", "abonne2@halle.test"]
    links = {re.search(r"/lettre/desabonnement/[^\s]+/", m.body).group(0) for m in mail.outbox}
    assert len(links) == 3  # one per recipient
    assert all(m.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mail.outbox)
    assert "<em>nombreux</em>" in mail.outbox[0].alternatives[0][0]
    # sending again or delivering again owes nothing more
    assert manager_client.post(f"/gestion/contenu/lettres/{draft.pk}/", {"action": "send"}).status_code == 302
    assert services.newsletter_deliver(newsletter_id=draft.pk) == 0
    assert OutboxEmail.objects.filter(topic="newsletter").count() == 3 and len(mail.outbox) == 3


def test_the_unsubscribe_link_works_without_logging_in_and_cancels_what_is_queued(client, manager):
    subscription, other = subscribed(2)
    draft = letter(manager)
    services.newsletter_send(newsletter=draft, by=manager)  # on_commit not run: the rows stay pending
    services.newsletter_deliver(newsletter_id=draft.pk)
    assert OutboxEmail.objects.filter(status=EmailStatus.PENDING).count() == 2
    url = f"/lettre/desabonnement/{services.unsubscribe_token(subscription=subscription)}/"
    assert "Me désabonner" in client.get(url).content.decode()  # a GET (link preview) changes nothing
    subscription.refresh_from_db()
    assert subscription.is_active
    response = client.post(url)  # no CSRF token, no login: the signed link is enough (RFC 8058 one-click too)
    assert 'id="unsubscribed"' in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert OutboxEmail.objects.get(recipient=subscription.email).status == EmailStatus.CANCELLED
    assert OutboxEmail.objects.get(recipient=other.email).status == EmailStatus.PENDING
    from marketplace.notifications.emails import outbox_email_send

    assert outbox_email_send(email_id=OutboxEmail.objects.get(recipient=subscription.email).pk) == "cancelled"
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_is_a_404(client):
    subscription = subscribed(1)[0]
    token = services.unsubscribe_token(subscription=subscription)
    assert client.post(f"/lettre/desabonnement/{token[:-2]}xx/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active


def test_resubscribing_records_the_new_consent_date(client):
    subscription = subscribed(1)[0]
    first = subscription.consented_at
    services.subscription_unsubscribe(subscription=subscription)
    again = services.subscription_subscribe(user=subscription.user)
    assert again.pk == subscription.pk and again.is_active and again.consented_at > first


def test_a_sent_letter_no_longer_changes(manager_client, manager):
    draft = letter(manager)
    services.newsletter_send(newsletter=draft, by=manager)
    response = manager_client.post(f"/gestion/contenu/lettres/{draft.pk}/", {"action": "save", "subject": "Autre", "body": "x"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.subject == "Marché de Noël"


def test_a_letter_without_subject_is_refused_and_its_body_sanitised(manager_client, manager):
    response = manager_client.post("/gestion/contenu/lettres/", {"subject": "", "body": "x"})
    assert response.status_code == 400 and "Donnez un objet" in response.content.decode()
    manager_client.post("/gestion/contenu/lettres/", {"subject": "Bonjour", "body": "<p>Oui<script>x()</script></p>"})
    assert Newsletter.objects.get().body == "<p>Oui</p>"

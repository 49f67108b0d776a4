"""The town's newsletter (writes): shoppers' consent, unsubscribing from a signed link,
sending a letter once per subscriber through the outbox.

Once per recipient: each recipient's e-mail is the outbox row ``newsletter:<id>:<sub id>``,
so sending twice (a retried task, two clicks, two workers) owes nothing more. Honoured
at once: unsubscribing locks the subscription, marks it and cancels the letters still
queued for that address; the delivery locks the same rows and skips the inactive
ones, so no letter is owed to an address after its unsubscription committed.
"""
from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.emails import email_enqueue, emails_cancel
from marketplace.town.models import Newsletter, NewsletterSubscription
from shops.html import html_sanitise

TOPIC = "newsletter"
SALT = "town.newsletter.unsubscribe"
CONSENT_TEXT = (
    "J'accepte de recevoir par e-mail la lettre du centre-ville (événements, animations, promotions). "
    "Je peux me désabonner à tout moment par le lien de chaque lettre."
)
#: Recipients enqueued per transaction by the delivery.
BATCH = 500


def subscription_subscribe(*, user) -> NewsletterSubscription:
    """Record ``user``'s consent now, with the wording they agreed to (RGPD)."""
    email = (user.email or "").strip().lower()
    if not email:
        raise ValidationError("Ajoutez une adresse e-mail à votre compte pour recevoir la lettre.")
    now = timezone.now()
    with transaction.atomic():
        subscription, created = NewsletterSubscription.objects.select_for_update().get_or_create(
            email=email, defaults={"user": user, "consented_at": now, "consent_text": CONSENT_TEXT}
        )
        if not created and subscription.unsubscribed_at is not None:
            subscription.consented_at, subscription.consent_text, subscription.unsubscribed_at = now, CONSENT_TEXT, None
            subscription.user = user
            subscription.save(update_fields=["consented_at", "consent_text", "unsubscribed_at", "user"])
    return subscription


def subscription_unsubscribe(*, subscription: NewsletterSubscription) -> NewsletterSubscription:
    """Stop every letter to this address now, those already queued included."""
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
        emails_cancel(topic=TOPIC, recipient=subscription.email)
    return subscription


def unsubscribe_token(*, subscription: NewsletterSubscription) -> str:
    return signing.dumps([subscription.pk, subscription.email], salt=SALT, compress=True)


def unsubscribe_url(*, subscription: NewsletterSubscription) -> str:
    path = reverse("town:unsubscribe", kwargs={"token": unsubscribe_token(subscription=subscription)})
    return settings.HALLE_SITE_URL.rstrip("/") + path


def subscription_from_token(*, token: str) -> NewsletterSubscription | None:
    """The subscription a link names (links do not expire: old letters keep working)."""
    try:
        pk, email = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return NewsletterSubscription.objects.filter(pk=pk, email=email).first() if isinstance(pk, int) else None


def newsletter_save(*, data: dict, by, newsletter: Newsletter | None = None) -> Newsletter:
    newsletter = newsletter or Newsletter(created_by=by if getattr(by, "is_authenticated", False) else None)
    if newsletter.sent_at is not None:
        raise ValidationError("Cette lettre est déjà envoyée : elle ne se modifie plus.")
    newsletter.subject = (data.get("subject") or "").strip()
    newsletter.body = html_sanitise(html=data.get("body") or "")
    newsletter.full_clean()
    newsletter.save()
    return newsletter


def newsletter_send(*, newsletter: Newsletter, by) -> Newsletter:
    """Mark the letter sent and deliver it after commit (a Celery task)."""
    from marketplace.town.tasks import newsletter_deliver_task

    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if newsletter.sent_at is not None:
            raise ValidationError("Cette lettre est déjà envoyée.")
        newsletter.sent_at, newsletter.sent_by = timezone.now(), by if getattr(by, "is_authenticated", False) else None
        newsletter.recipient_count = NewsletterSubscription.objects.filter(unsubscribed_at__isnull=True).count()
        newsletter.save(update_fields=["sent_at", "sent_by", "recipient_count", "updated_at"])
        newsletter_deliver_task.delay_on_commit(newsletter.pk)
    return newsletter


def _letter(newsletter: Newsletter, subscription: NewsletterSubscription):
    url = unsubscribe_url(subscription=subscription)
    return email_enqueue(
        key=f"{TOPIC}:{newsletter.pk}:{subscription.pk}", topic=TOPIC, recipient=subscription.email,
        template="town/email/newsletter", context={"newsletter": newsletter, "unsubscribe_url": url},
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def newsletter_deliver(*, newsletter_id: int) -> int:
    """Owe the letter to every active subscriber (batches, each under the subscriptions'
    row locks); returns how many rows this call owed. Safe to run again or twice at once."""
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    if newsletter.sent_at is None:
        return 0
    owed, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                NewsletterSubscription.objects.select_for_update()
                .filter(pk__gt=last_pk, unsubscribed_at__isnull=True, consented_at__lte=newsletter.sent_at)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return owed
            owed += sum(_letter(newsletter, subscription) is not None for subscription in batch)
            last_pk = batch[-1].pk

"""Staff: the owner invites by e-mail, the invitee joins by a signed expiring link, the owner removes staff."""
from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.emails import outbox_email_send, outbox_emails_requeue
from marketplace.notifications.models import EmailStatus, OutboxEmail
from marketplace.notifications.services import REQUEUE_GRACE
from shops.models import ShopInvitation, ShopRole
from shops.staff import services
from shops.staff.selectors import shop_role_get, shop_staff_listed
from shops.staff.services import InvitationInvalid, invitation_token
from tests.factories import UserFactory
from tests.factories.backoffice import merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return merchant(username="gerante", email="gerante@halle.test", role="owner")


def invite(owner, email="nouveau@halle.test", **kwargs) -> ShopInvitation:
    user, shop = owner
    return services.invitation_create(shop=shop, email=email, invited_by=user, **kwargs)


def link_of(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_the_owner_invites_by_email_and_the_link_is_sent_after_commit(client, owner, django_capture_on_commit_callbacks):
    client.force_login(owner[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:team"), {"email": "Nouveau@Halle.TEST"})
        assert mail.outbox == []  # nothing sent inside the invitation's transaction (its shop is locked)
    assert response.status_code == 302
    invitation = ShopInvitation.objects.get()
    assert invitation.email == "Nouveau@halle.test" and invitation.role == ShopRole.STAFF
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Nouveau@halle.test"]
    assert owner[1].name in mail.outbox[0].subject
    # The token is signed with a timestamp (its age is checked): compare what it opens, not its text.
    prefix = reverse("backoffice:shop-invitation:accept", args=["TOKEN"]).split("TOKEN")[0]
    path = link_of(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert ("/" + path).startswith(prefix)
    token = ("/" + path)[len(prefix):].rstrip("/")
    assert services.invitation_from_token(token=token) == invitation
    assert _queued(invitation).status == EmailStatus.SENT


def _queued(invitation) -> OutboxEmail:
    return OutboxEmail.objects.get(key=f"shop-invitation:{invitation.pk}")


def test_the_invitation_email_is_one_outbox_row_sent_once(owner):
    invitation = invite(owner)
    row = _queued(invitation)
    assert (row.recipient, row.status) == ("nouveau@halle.test", EmailStatus.PENDING)
    assert "« " + owner[1].name + " »" in row.subject and "membre de l'équipe" in row.body_text
    assert outbox_email_send(email_id=row.pk) == "sent"
    assert outbox_email_send(email_id=row.pk) == "already_sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nouveau@halle.test"]


def test_a_rolled_back_invitation_owes_no_email(owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            invite(owner)
            raise RuntimeError("the page failed after the invitation")
    assert not ShopInvitation.objects.exists() and not OutboxEmail.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_a_mail_server_failure_is_retried_later_then_the_invitation_is_sent_once(owner):
    row = _queued(invite(owner))
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")):
        assert outbox_email_send(email_id=row.pk) == "retry"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1) and "SMTP down" in row.last_error
    later = row.next_attempt_at + REQUEUE_GRACE
    with mock.patch("marketplace.notifications.tasks.outbox_email_send_task.delay") as delay:
        assert outbox_emails_requeue(now=later) == 1
    delay.assert_called_once_with(row.pk)
    assert outbox_email_send(email_id=row.pk) == "sent"
    assert outbox_email_send(email_id=row.pk) == "already_sent"
    assert len(mail.outbox) == 1


def test_a_replaced_or_cancelled_invitation_loses_its_queued_email(owner):
    first = invite(owner)
    second = invite(owner)  # the same address again: the first link dies
    assert _queued(first).status == EmailStatus.CANCELLED and _queued(second).status == EmailStatus.PENDING
    services.invitation_cancel(invitation=second)
    assert _queued(second).status == EmailStatus.CANCELLED
    assert outbox_email_send(email_id=_queued(second).pk) == "cancelled" and mail.outbox == []


@pytest.mark.parametrize(("email", "message"), [
    ("pas-une-adresse", "Adresse e-mail invalide."),
    ("gerante@halle.test", "Cette personne fait déjà partie de l'équipe."),
])
def test_bad_invitations_are_form_errors(client, owner, email, message):
    client.force_login(owner[0])
    response = client.post(reverse("backoffice:team"), {"email": email})
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not ShopInvitation.objects.exists()


def test_inviting_again_replaces_the_pending_invitation(owner):
    first = invite(owner)
    second = invite(owner, email="NOUVEAU@halle.test")
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.is_pending
    with pytest.raises(InvitationInvalid, match="annulée"):
        services.invitation_from_token(token=invitation_token(invitation=first))


def test_a_newcomer_creates_an_account_and_joins_as_staff(client, owner):
    invitation = invite(owner)
    url = reverse("backoffice:shop-invitation:accept", args=[invitation_token(invitation=invitation)])
    page = client.get(url)
    assert page.status_code == 200 and "Créer mon compte" in page.content.decode()

    response = client.post(url, {"first_name": "Léa", "last_name": "Martin", "password": "un-mot-de-passe-solide",
                                 "password_again": "un-mot-de-passe-solide"})

    assert response.status_code == 302 and response["Location"] == reverse("backoffice:home")
    user = get_user_model().objects.get(email="nouveau@halle.test")
    assert user.check_password("un-mot-de-passe-solide") and user.get_full_name() == "Léa Martin"
    assert shop_role_get(shop=owner[1], user=user) == ShopRole.STAFF
    assert client.get(reverse("backoffice:home")).status_code == 200  # signed in, in the back-office
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_weak_password_is_refused_and_nothing_is_created(client, owner):
    invitation = invite(owner)
    url = reverse("backoffice:shop-invitation:accept", args=[invitation_token(invitation=invitation)])
    response = client.post(url, {"first_name": "A", "last_name": "B", "password": "123", "password_again": "123"})
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    assert not get_user_model().objects.filter(email="nouveau@halle.test").exists()
    assert ShopInvitation.objects.get().is_pending


def test_someone_with_an_account_signs_in_then_joins(client, owner):
    existing = UserFactory(username="deja", email="nouveau@halle.test")
    invitation = invite(owner)
    url = reverse("backoffice:shop-invitation:accept", args=[invitation_token(invitation=invitation)])
    page = client.get(url).content.decode()
    assert "Un compte existe déjà" in page and "?next=" in page
    assert client.post(url, {"password": "x", "password_again": "x"}).status_code == 200  # nothing happens anonymously
    assert shop_role_get(shop=owner[1], user=existing) is None

    client.force_login(existing)
    assert client.post(url).status_code == 302
    assert shop_role_get(shop=owner[1], user=existing) == ShopRole.STAFF


def test_signed_in_as_someone_else_cannot_use_the_link(client, owner):
    invitation = invite(owner)
    intruder = UserFactory(username="intrus", email="intrus@halle.test")
    client.force_login(intruder)
    url = reverse("backoffice:shop-invitation:accept", args=[invitation_token(invitation=invitation)])
    assert "Déconnectez-vous" in client.get(url).content.decode()
    client.post(url)
    assert shop_role_get(shop=owner[1], user=intruder) is None
    assert ShopInvitation.objects.get().is_pending


def _accept(client, token):
    return client.post(reverse("backoffice:shop-invitation:accept", args=[token]), {
        "first_name": "A", "last_name": "B", "password": "un-mot-de-passe-solide", "password_again": "un-mot-de-passe-solide",
    })


def test_a_used_link_cannot_be_reused(client, owner):
    token = invitation_token(invitation=invite(owner))
    assert _accept(client, token).status_code == 302
    client.logout()
    again = _accept(client, token)
    assert again.status_code == 410
    assert "déjà été utilisée" in again.content.decode()
    assert get_user_model().objects.filter(email="nouveau@halle.test").count() == 1


def test_an_expired_link_is_refused(client, owner, settings):
    invitation = invite(owner)
    token = invitation_token(invitation=invitation)
    later = timezone.now() + dt.timedelta(days=settings.HALLE_INVITATION_DAYS, minutes=1)
    import time

    real_time = time.time
    time.time = lambda: later.timestamp()
    try:
        response = _accept(client, token)
    finally:
        time.time = real_time
    assert response.status_code == 410 and "expiré" in response.content.decode()
    # The stored expiry is checked as well (e.g. a shorter delay set after sending).
    ShopInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _accept(client, token).status_code == 410
    assert not get_user_model().objects.filter(email="nouveau@halle.test").exists()


@pytest.mark.parametrize("make_token", [
    lambda inv: "n-importe-quoi",
    lambda inv: invitation_token(invitation=inv)[:-2] + "xx",
    lambda inv: signing.dumps([inv.pk, "mauvais-nonce"], salt="shops.invitation", compress=True),
    lambda inv: signing.dumps([inv.pk, inv.nonce], salt="autre-sel", compress=True),
    lambda inv: signing.dumps(["1", inv.nonce], salt="shops.invitation", compress=True),
    lambda inv: signing.dumps({"pk": inv.pk}, salt="shops.invitation", compress=True),
], ids=["illisible", "signature altérée", "mauvais nonce", "autre sel", "pk en texte", "pas une liste"])
def test_bad_tokens_are_a_404_with_a_french_message(client, owner, make_token):
    invitation = invite(owner)
    response = _accept(client, make_token(invitation))
    assert response.status_code == 404
    assert "lien d&#x27;invitation n&#x27;est pas valide" in response.content.decode()
    assert not get_user_model().objects.filter(email="nouveau@halle.test").exists()


def test_a_cancelled_invitation_is_refused(client, owner):
    invitation = invite(owner)
    client.force_login(owner[0])
    assert client.post(reverse("backoffice:invitation-cancel", args=[invitation.pk])).status_code == 302
    client.logout()
    assert _accept(client, invitation_token(invitation=invitation)).status_code == 410


def test_an_owner_invitation_makes_an_owner(owner):
    invitation = invite(owner, role=ShopRole.OWNER)
    user = services.invitation_accept(token=invitation_token(invitation=invitation), password="un-mot-de-passe-solide")
    assert shop_role_get(shop=owner[1], user=user) == ShopRole.OWNER


def test_the_owner_removes_staff_but_not_an_owner_nor_themself(client, owner):
    user, shop = owner
    staff, _ = merchant(username="employe", shop=shop)
    other_owner, _ = merchant(username="associe", shop=shop, role="owner")
    client.force_login(user)

    assert client.post(reverse("backoffice:team-member-remove", args=[staff.pk])).status_code == 302
    assert shop_role_get(shop=shop, user=staff) is None
    assert not shop.members.filter(user=staff).exists()
    for kept in (other_owner, user):
        response = client.post(reverse("backoffice:team-member-remove", args=[kept.pk]), follow=True)
        assert shop_role_get(shop=shop, user=kept) == ShopRole.OWNER
        assert "retir" in response.content.decode()
    assert {(u.username, role) for u, role in shop_staff_listed(shop=shop)} == {("gerante", "owner"), ("associe", "owner")}


def test_a_removed_staff_member_loses_the_back_office(client, owner):
    staff, shop = merchant(username="employe", shop=owner[1])
    client.force_login(staff)
    assert client.get(reverse("backoffice:offers")).status_code == 200
    services.shop_staff_remove(shop=shop, user=staff, by=owner[0])
    assert client.get(reverse("backoffice:offers")).status_code == 403


def test_team_page_lists_members_and_pending_invitations_for_the_owner_only(client, owner):
    staff, _ = merchant(username="employe", shop=owner[1], email="employe@halle.test")
    invite(owner)
    client.force_login(owner[0])
    page = client.get(reverse("backoffice:team")).content.decode()
    assert "employe@halle.test" in page and "nouveau@halle.test" in page and "gérant" in page
    client.force_login(staff)
    assert client.get(reverse("backoffice:team")).status_code == 403
    assert 'href="/espace-commercant/equipe/"' not in client.get(reverse("backoffice:home")).content.decode()

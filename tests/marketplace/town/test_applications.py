"""« Rejoindre Halle »: a shop applies from the public form (linked from every storefront
page), the manager asks for changes (the applicant edits through an e-mailed link),
approves (Partner + Shop + owner invitation, as the dashboard does) or declines with a
reason; every e-mail goes through the outbox, once."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from marketplace.notifications.models import EmailStatus, OutboxEmail
from marketplace.partner.models import Partner
from marketplace.town.models import ApplicationStatus, ShopApplication
from marketplace.town.services import applications as services
from shops.models import Shop, ShopInvitation, ShopRole
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "shop_name": "Fromagerie du Beffroi", "trade": "fromagerie", "line1": "3 rue du Beffroi", "postcode": "45210",
    "city": "Beaumont-sur-Loing", "siret": "732 829 320 00074", "contact_name": "Jeanne Fromage",
    "contact_email": "jeanne@fromagerie.test", "contact_phone": "02 38 00 00 00",
    "products": "Fromages affinés, crèmerie", "fulfilment": ["boutique", "point"], "message": "",
    "consent": "on", "website": "",
}


def applied(**changes) -> ShopApplication:
    data = {**FORM, **changes}
    data["fulfilment"] = list(data["fulfilment"])
    return services.application_submit(data={**data, "siret": data["siret"].replace(" ", "")})


def link_in(body: str) -> str:
    return re.search(r"http://[^\s]+/rejoindre/candidature/[^\s]+/", body).group(0).split("8000", 1)[-1]


def test_every_storefront_page_links_to_the_join_form(client):
    for url in ("/", "/commerces/", "/basket/"):
        assert 'href="/rejoindre/"' in client.get(url).content.decode()


def test_a_shop_applies_and_gets_an_acknowledgement_with_its_edit_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/rejoindre/", FORM)
    assert response.status_code == 302 and response["Location"] == "/rejoindre/merci/"
    application = ShopApplication.objects.get()
    assert (application.siret, application.postcode, application.contact_phone) == ("73282932000074", "45210", "+33238000000")
    assert application.fulfilment == ["boutique", "point"] and application.status == ApplicationStatus.SUBMITTED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jeanne@fromagerie.test"]
    assert client.get(link_in(mail.outbox[0].body)).status_code == 200
    assert OutboxEmail.objects.get().status == EmailStatus.SENT


@pytest.mark.parametrize(("field", "value", "message"), [
    ("siret", "12345", "14 chiffres"),
    ("siret", "73282932000075", "n'est pas valide"),
    ("postcode", "4521", "Code postal français"),
    ("contact_phone", "0238", "Numéro de téléphone invalide"),
    ("contact_email", "jeanne@", "Adresse e-mail invalide"),
    ("trade", "astronaute", "Choisissez votre métier"),
    ("fulfilment", [], "au moins une façon"),
    ("fulfilment", ["teleportation"], "Choix inconnu"),
    ("shop_name", "", "obligatoire"),
    ("consent", "", "Cochez cette case"),
    ("products", "x" * 2001, "2 000 caractères"),
])
def test_bad_input_is_a_precise_french_message_and_records_nothing(client, field, value, message):
    data = {**FORM, field: value}
    if field == "consent":
        data.pop("consent")
    response = client.post("/rejoindre/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not ShopApplication.objects.exists() and not OutboxEmail.objects.exists()


def test_a_bot_filling_the_hidden_field_is_turned_away(client):
    assert client.post("/rejoindre/", {**FORM, "website": "http://spam.test"}).status_code == 400
    assert not ShopApplication.objects.exists()


def test_la_postes_siret_is_accepted_by_its_own_rule(client):
    assert client.post("/rejoindre/", {**FORM, "siret": "356 000 000 49837"}).status_code == 302


def test_the_same_siret_cannot_apply_twice_while_its_application_is_open(client):
    applied()
    response = client.post("/rejoindre/", FORM)
    assert response.status_code == 400 and "déjà en cours" in response.context["form"].errors["siret"][0]
    assert ShopApplication.objects.count() == 1


def test_the_manager_asks_for_changes_and_the_applicant_edits_through_the_emailed_link(
    client, manager_client, manager, django_capture_on_commit_callbacks
):
    application = applied()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/gestion/candidatures/{application.pk}/",
                                       {"action": "changes", "message": "Ajoutez vos horaires et vos spécialités."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED and application.reviewed_by == manager
    email = mail.outbox[-1]
    assert "Ajoutez vos horaires" in email.body and email.to == ["jeanne@fromagerie.test"]
    client.logout()
    edit = link_in(email.body)
    page = client.get(edit)
    assert "Ajoutez vos horaires" in page.content.decode()
    response = client.post(edit, {**FORM, "products": "Fromages affinés ; ouvert du mardi au samedi"})
    assert response.status_code == 200 and response.context["saved"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and "mardi" in application.products
    assert application.resubmitted_at is not None


def test_asking_for_changes_without_saying_what_is_refused(manager_client):
    application = applied()
    response = manager_client.post(f"/gestion/candidatures/{application.pk}/", {"action": "changes", "message": " "})
    assert response.status_code == 400 and "Dites au commerçant" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_approving_opens_the_partner_and_the_shop_and_invites_the_owner(
    manager_client, manager, django_capture_on_commit_callbacks
):
    application = applied()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/gestion/candidatures/{application.pk}/", {"action": "approve"})
    shop = Shop.objects.get(name="Fromagerie du Beffroi")
    assert response.status_code == 302 and response["Location"] == f"/gestion/commerces/{shop.pk}/"
    assert shop.partner.name == "Fromagerie du Beffroi" and shop.trade == "fromagerie"
    assert (shop.phone, shop.email, shop.postcode) == ("+33238000000", "jeanne@fromagerie.test", "45210")
    invitation = ShopInvitation.objects.get(shop=shop)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("jeanne@fromagerie.test", ShopRole.OWNER, manager)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.shop == shop
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("bienvenue" in s for s in subjects) and any("Invitation à rejoindre" in s for s in subjects)


def test_an_approved_applications_link_no_longer_edits_it(client, manager):
    application = applied()
    token = services.application_token(application=application)
    services.application_approve(application=application, by=manager)
    assert client.get(f"/rejoindre/candidature/{token}/").status_code == 404  # the nonce changed


def test_approving_twice_opens_one_shop(manager):
    application = applied()
    services.application_approve(application=application, by=manager)
    with pytest.raises(Exception, match="déjà été traitée"):
        services.application_approve(application=application, by=manager)
    assert Shop.objects.count() == 1 and Partner.objects.count() == 1


def test_a_name_already_taken_is_refused_and_nothing_is_created(manager_client):
    ShopFactory(name="Fromagerie du Beffroi")
    application = applied()
    response = manager_client.post(f"/gestion/candidatures/{application.pk}/", {"action": "approve"}, follow=True)
    assert "appelle déjà « Fromagerie du Beffroi »" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and Shop.objects.count() == 1


def test_declining_needs_a_reason_which_is_emailed(manager_client, django_capture_on_commit_callbacks):
    application = applied()
    assert manager_client.post(f"/gestion/candidatures/{application.pk}/", {"action": "decline", "reason": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"/gestion/candidatures/{application.pk}/",
                            {"action": "decline", "reason": "Votre commerce est hors du périmètre du centre-ville."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "hors du périmètre" in mail.outbox[-1].body
    assert not Shop.objects.exists()


def test_each_decision_is_emailed_once_even_if_sent_twice(manager, django_capture_on_commit_callbacks):
    from marketplace.notifications.emails import outbox_email_send

    application = applied()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(application=application, by=manager, reason="Hors périmètre.")
    row = OutboxEmail.objects.get(key=f"application:{application.pk}:declined")
    mail.outbox.clear()
    assert outbox_email_send(email_id=row.pk) == "already_sent"
    assert mail.outbox == []


def test_the_manager_lists_open_applications_by_default(manager_client, manager):
    open_one = applied()
    declined = applied(siret="35600000049837", shop_name="Autre")
    services.application_decline(application=declined, by=manager, reason="Non.")
    page = manager_client.get("/gestion/candidatures/")
    assert [a.pk for a in page.context["page_obj"].object_list] == [open_one.pk]
    assert manager_client.get("/gestion/candidatures/", {"statut": "declined"}).context["page_obj"].object_list[0] == declined


def test_a_tampered_or_unknown_link_is_a_404(client):
    assert client.get("/rejoindre/candidature/nimporte-quoi/").status_code == 404


def test_other_roles_cannot_review_applications(client):
    from tests.factories.backoffice import merchant

    application = applied()
    owner, _ = merchant(role="owner")
    for user in (owner, UserFactory(username="client")):
        client.force_login(user)
        assert client.get(f"/gestion/candidatures/{application.pk}/").status_code == 403
        assert client.post(f"/gestion/candidatures/{application.pk}/", {"action": "approve"}).status_code == 403
    assert not Shop.objects.filter(name=FORM["shop_name"]).exists()

"""The agenda, the home page's « à la une », the town's page, edited in ``/gestion/contenu/``
with a preview and publication dates; the manager's text is sanitised."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.town.models import EventKind, FeaturedShop, TownEvent, TownPage
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


def event_data(**changes) -> dict:
    start = timezone.localtime() + dt.timedelta(days=2)
    return {"kind": "event", "title": "Marché de Noël", "summary": "Chalets et vin chaud", "description": "",
            "place": "Place de la Halle", "starts_at": start.strftime(FMT),
            "ends_at": (start + dt.timedelta(hours=6)).strftime(FMT), "link": "", "is_published": "on",
            "publish_at": "", **changes}


def test_an_event_created_in_gestion_appears_on_the_home_page_and_in_the_agenda(manager_client, client):
    response = manager_client.post("/gestion/contenu/evenements/nouveau/", {**event_data(), "action": "save"})
    assert response.status_code == 302
    assert TownEvent.objects.get().title == "Marché de Noël"
    client.logout()
    assert "Marché de Noël" in client.get("/").content.decode()
    assert "Chalets et vin chaud" in client.get("/agenda/").content.decode()


def test_the_preview_shows_the_event_as_on_the_home_page_and_saves_nothing(manager_client):
    response = manager_client.post("/gestion/contenu/evenements/nouveau/", {
        **event_data(description="<p>Venez <strong>nombreux</strong><script>alert(1)</script></p>"), "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="event-preview"' in html
    assert "Marché de Noël" in html and "<strong>nombreux</strong>" in html and "<script>alert" not in html
    assert not TownEvent.objects.exists()


def test_the_managers_html_is_sanitised_on_save(manager_client):
    manager_client.post("/gestion/contenu/evenements/nouveau/", {
        **event_data(description='<p onclick="x()">Texte <a href="javascript:alert(1)">lien</a><img src=x></p>'),
        "action": "save"})
    description = TownEvent.objects.get().description
    assert "onclick" not in description and "javascript" not in description and "<img" not in description
    assert "Texte" in description


def test_an_event_is_shown_from_its_publication_date_only(manager_client, client):
    later = timezone.localtime() + dt.timedelta(days=1)
    manager_client.post("/gestion/contenu/evenements/nouveau/", {**event_data(publish_at=later.strftime(FMT)), "action": "save"})
    event = TownEvent.objects.get()
    from marketplace.town.selectors import events_upcoming

    assert events_upcoming() == []
    assert events_upcoming(at=event.publish_at + dt.timedelta(minutes=1)) == [event]
    assert "en ligne le" in manager_client.get("/gestion/contenu/").content.decode()


def test_a_draft_is_not_shown(manager_client, client):
    manager_client.post("/gestion/contenu/evenements/nouveau/", {**event_data(is_published=""), "action": "save"})
    client.logout()
    assert "Marché de Noël" not in client.get("/agenda/").content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "Donnez un titre"),
    ({"starts_at": "demain"}, "starts_at", "Date et heure invalides"),
    ({"link": "pas une adresse"}, "link", "Adresse web invalide"),
    ({"kind": "concert"}, "kind", ""),
])
def test_bad_event_input_is_a_french_message_and_saves_nothing(manager_client, changes, field, message):
    response = manager_client.post("/gestion/contenu/evenements/nouveau/", {**event_data(**changes), "action": "save"})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not TownEvent.objects.exists()


def test_an_event_ending_before_it_starts_or_published_after_it_ends_is_refused(manager_client):
    start = timezone.localtime() + dt.timedelta(days=2)
    response = manager_client.post("/gestion/contenu/evenements/nouveau/", {
        **event_data(ends_at=(start - dt.timedelta(hours=1)).strftime(FMT), starts_at=start.strftime(FMT)), "action": "save"})
    assert response.status_code == 400 and "La fin doit être après le début" in response.content.decode()
    response = manager_client.post("/gestion/contenu/evenements/nouveau/", {
        **event_data(publish_at=(start + dt.timedelta(days=3)).strftime(FMT)), "action": "save"})
    assert response.status_code == 400 and "avant la fin" in response.content.decode()
    assert not TownEvent.objects.exists()


def test_an_announcement_is_edited_then_deleted(manager_client):
    manager_client.post("/gestion/contenu/evenements/nouveau/", {**event_data(kind="announcement", title="Rue fermée"), "action": "save"})
    event = TownEvent.objects.get()
    assert event.kind == EventKind.ANNOUNCEMENT
    manager_client.post(f"/gestion/contenu/evenements/{event.pk}/",
                        {**event_data(kind="announcement", title="Rue du Pont fermée"), "action": "save"})
    event.refresh_from_db()
    assert event.title == "Rue du Pont fermée"
    manager_client.post(f"/gestion/contenu/evenements/{event.pk}/", {"action": "delete"})
    assert not TownEvent.objects.exists()


def test_featured_shops_come_first_on_the_home_page_in_the_managers_order(manager_client, client):
    ShopFactory(name="Boulangerie A")
    zebra = ShopFactory(name="Zèbre Jouets")
    yak = ShopFactory(name="Yak Librairie")
    for shop in (zebra, yak):
        manager_client.post("/gestion/contenu/a-la-une/", {"kind": "shop", "action": "add", "item": shop.pk})
    manager_client.post("/gestion/contenu/a-la-une/", {"kind": "shop", "action": "up", "item": yak.pk})
    assert [f.shop for f in FeaturedShop.objects.order_by("position")] == [yak, zebra]
    shops = [shop for shop, _ in client.get("/").context["shops"]]
    assert shops[:3] == [yak, zebra, shops[2]] and shops[2].name == "Boulangerie A"


def test_a_featured_product_comes_first_on_the_home_page(manager_client, client):
    old = StockRecordFactory(product=ProductFactory(title="Vieux livre")).product
    StockRecordFactory(product=ProductFactory(title="Nouveauté"))
    response = manager_client.get("/gestion/contenu/a-la-une/", {"q": "Vieux"})
    assert old in response.context["products"]
    manager_client.post("/gestion/contenu/a-la-une/?q=Vieux", {"kind": "product", "action": "add", "item": old.pk})
    assert next(iter(client.get("/").context["products"])) == old
    manager_client.post("/gestion/contenu/a-la-une/", {"kind": "product", "action": "remove", "item": old.pk})
    assert next(iter(client.get("/").context["products"])) != old


def test_an_unknown_item_or_action_changes_nothing(manager_client):
    assert manager_client.post("/gestion/contenu/a-la-une/", {"kind": "shop", "action": "add", "item": 999999}).status_code == 404
    response = manager_client.post("/gestion/contenu/a-la-une/", {"kind": "fusée", "action": "add", "item": 1}, follow=True)
    assert "Action inconnue" in response.content.decode()
    assert not FeaturedShop.objects.exists()


def test_the_town_page_is_edited_sanitised_and_shows_the_collection_points_hours(manager_client, client):
    from logistics.models import PointOpeningPeriod
    from tests.factories.logistics import CollectionPointFactory

    point = CollectionPointFactory(name="Point retrait de la Halle", address="Place de la Halle")
    PointOpeningPeriod.objects.create(point=point, weekday=1, opens=dt.time(10), closes=dt.time(19))
    response = manager_client.post("/gestion/contenu/page-du-centre-ville/", {
        "title": "Le centre-ville de Beaumont", "about": "<p>Bienvenue<script>x()</script></p>", "address": "Mairie",
        "contact_email": "centre@beaumont.test", "contact_phone": "02 38 11 22 33"})
    assert response.status_code == 302
    page = TownPage.objects.get()
    assert page.about == "<p>Bienvenue</p>" and page.contact_phone == "+33238112233"
    client.logout()
    html = client.get("/centre-ville/").content.decode()
    assert "Le centre-ville de Beaumont" in html and "Bienvenue" in html and "<script>x()" not in html
    assert "Point retrait de la Halle" in html and "10:00–19:00" in html


def test_a_bad_town_page_is_refused(manager_client):
    response = manager_client.post("/gestion/contenu/page-du-centre-ville/", {"title": "", "contact_email": "x@", "contact_phone": "12"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "contact_email", "contact_phone"}

"""Every page of every role, from the URL resolver: what the phone-layout and accessibility
walks visit.

``site_urls`` expands ``django.urls.get_resolver()`` into every named pattern with the path
parameters it needs; ``town_for_walk`` builds, with the factories, one object of each kind a
role may open (a product sold by two shops, orders in several states, a shop's closures,
photos, imports, tokens, the town's offers, pages and vouchers…); ``role_pages`` asks the
application, with Django's test client (fast, no browser), which of those URLs each role can
open: a French HTML page answered 200 without a redirect. A pattern whose parameters cannot be
filled and that is not in ``NOT_WALKED`` (with the reason) fails the walk: a new page is never
left out silently.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = ("anonyme", "client", "commerçant", "point de retrait", "centre-ville")

#: Patterns no walk opens with a GET, and why (matched on the URL name, or the route's start).
NOT_WALKED = {
    "admin/": "l'admin Django est l'outil des super-utilisateurs, pas d'un des cinq rôles",
    "api/": "l'API de caisse et l'API publique du catalogue (api/v1/public/) répondent en JSON, pas en pages",
    "flux/": "flux TSV (produits, inventaire local) pour les moteurs de recherche, pas des pages",
    "robots": "robots.txt : du texte pour les robots d'indexation, pas une page",
    "sitemap-index": "sitemap.xml : du XML pour les moteurs de recherche, pas une page",
    "sitemap-section": "sitemap-<section>.xml : du XML pour les moteurs de recherche, pas une page",
    "stripe/": "webhook Stripe (POST signé)",
    "i18n/": "changement de langue (POST)",
    "healthz": "sonde de supervision (JSON)",
    "coursier/": "pages du rôle coursier (pas un des cinq rôles parcourus) : couvertes par "
                 "tests/logistics/delivery/test_courier_rounds.py (accès, isolation) et "
                 "tests/e2e/test_courier_manifest.py (390 px, axe)",
    "favicon.ico": "une icône, pas une page",
    "^fr/": "redirection vers la même page sans préfixe",
    "customer:logout": "déconnecte en GET",
    "dashboard:logout": "déconnecte en GET",
    "customer:alerts-confirm": "confirme une alerte en GET (clé reçue par e-mail ; Halle n'envoie pas d'alertes)",
    "customer:alerts-cancel-by-key": "annule une alerte en GET (clé reçue par e-mail)",
    "customer:alerts-cancel-by-pk": "annule une alerte (POST)",
    "customer:alert-create": "crée une alerte (POST)",
    "customer:anon-order-form": "lien signé d'Oscar que Halle n'envoie pas (le suivi est sur /retrait/suivi/)",
    "customer:anon-order": "lien signé d'Oscar que Halle n'envoie pas (le suivi est sur /retrait/suivi/)",
    "customer:address-change-status": "change l'adresse par défaut en GET",
    "customer:notifications-update": "POST seulement",
    "delivery-manager:window-plan": "POST seulement (lance la planification des tournées)",
    "customer:email-detail": "Halle ne garde pas les e-mails envoyés dans le compte",
    "customer:wishlists-add-product": "ajoute à une liste en GET ; Halle n'a pas de listes d'envies",
    "customer:wishlists-create-with-product": "Halle n'a pas de listes d'envies",
    "customer:wishlists-detail": "Halle n'a pas de listes d'envies",
    "customer:wishlists-update": "Halle n'a pas de listes d'envies",
    "customer:wishlists-delete": "Halle n'a pas de listes d'envies",
    "customer:wishlists-remove-product": "Halle n'a pas de listes d'envies",
    "customer:wishlists-move-product-to-another": "Halle n'a pas de listes d'envies",
    "wishlists:detail": "Halle n'a pas de listes d'envies",
    "catalogue:reviews-detail": "Halle n'affiche pas d'avis",
    "catalogue:reviews-vote": "Halle n'affiche pas d'avis (POST)",
    "password-reset-confirm": "lien signé reçu par e-mail",
    "backoffice:shop-invitation:accept": "lien signé reçu par e-mail",
    "backoffice:payments-onboard": "ouvre un compte chez Stripe en GET",
    "backoffice:payments-return": "retour de Stripe après l'ouverture du compte",
    "payments:action-return": "retour de la banque après une confirmation 3-D Secure",
    "dashboard:catalogue-product-lookup": "recherche JSON de l'autocomplétion",
    "dashboard:voucher-set-download": "fichier CSV",
    "dashboard:order-detail-note": "édition d'une note (aucune dans la ville de test)",
    "dashboard:order-shipping-address": "Halle ne livre pas d'adresse de livraison Oscar",
    "dashboard:user-alert-delete": "Halle n'a pas d'alertes de stock",
    "dashboard:user-alert-update": "Halle n'a pas d'alertes de stock",
    "dashboard:reviews-update": "Halle n'affiche pas d'avis",
    "dashboard:reviews-delete": "Halle n'affiche pas d'avis",
    "dashboard:partner-user-link": "lie un utilisateur en GET",
    "dashboard:partner-user-unlink": "délie un utilisateur en GET",
    "dashboard:partner-user-update": "compte d'un commerçant : le commerce l'administre depuis son espace",
    "dashboard:shipping-method-detail": "Halle n'a pas de frais de port au poids",
    "dashboard:shipping-method-edit": "Halle n'a pas de frais de port au poids",
    "dashboard:shipping-method-delete": "Halle n'a pas de frais de port au poids",
    "dashboard:shipping-method-band-edit": "Halle n'a pas de frais de port au poids",
    "dashboard:shipping-method-band-delete": "Halle n'a pas de frais de port au poids",
    "dashboard:catalogue-attribute-option-group-update": "aucun groupe d'options dans la ville de test",
    "dashboard:catalogue-attribute-option-group-delete": "aucun groupe d'options dans la ville de test",
    "dashboard:catalogue-option-update": "aucune option de produit dans la ville de test",
    "dashboard:catalogue-option-delete": "aucune option de produit dans la ville de test",
    "dashboard:catalogue-product-create-child": "Halle ne vend pas de déclinaisons",
    "customer:notifications-detail": "Halle n'écrit pas de messages dans le compte (elle envoie des e-mails)",
    "customer:address-detail": "Halle ne livre pas : pas de carnet d'adresses à modifier",
    "customer:address-delete": "Halle ne livre pas : pas de carnet d'adresses à modifier",
    "payments-manager:issue-resolve": "POST seulement (une anomalie de rapprochement traitée)",
    "customer:order-line": "redirige vers la page de la commande, visitée (son POST recommande l'article)",
    "account-order-line": "redirige vers la page de la commande, visitée (son POST recommande l'article)",
    "payments:action": "confirmation 3-D Secure : seulement quand la banque la demande (parcours de paiement)",
    "promotions-manager:campaign-invite": "POST seulement (invite des commerces ; formulaire de la page de campagne)",
    "promotions-manager:voucher-batch-create": "POST seulement (crée un lot de codes ; formulaire de la page de campagne)",
    "promotions-manager:voucher-import": "POST seulement (importe des codes ; formulaire de la page de campagne)",
    "promotions-manager:ambassador-create": "POST seulement (invite un ambassadeur ; formulaire de la page de campagne)",
    "promotions-manager:voucher-batch-export": "fichier CSV (codes à imprimer)",
    "promotions-manager:statement-csv": "fichier CSV (relevé mensuel)",
    "backoffice-promotions:participation": "POST seulement (participer ou non ; boutons de la page Promotions)",
    "backoffice-promotions:offer-stop": "POST seulement (arrête une offre du commerce)",
    "checkout:delivery-addresses": "suggestions d'adresses en JSON (l'autocomplétion de la livraison)",
    "analytics-manager:export": "fichier CSV",
    "opendata:download": "fichier de données (CSV, JSON)",
    "gestion:plan-change-cancel": "POST seulement (annule un changement de plan)",
    "gestion:shop-status": "POST seulement (suspend ou réactive un commerce)",
    "gestion:assist-start": "POST seulement (entre en mode assisté)",
}


#: Unnamed patterns, by their exact route.
NOT_WALKED_ROUTES = {
    "accounts/notifications/": "redirection d'Oscar vers la boîte de réception des notifications",
    # Halle's corrected account views, routed in front of Oscar's at the same addresses: walked
    # under Oscar's names (customer:login, customer:register…), which resolve to them.
    "accounts/login/": "même adresse que customer:login, visitée sous ce nom",
    "accounts/register/": "même adresse que customer:register, visitée sous ce nom",
    "accounts/logout/": "même adresse que customer:logout (déconnecte en POST)",
    "^accounts/addresses/(?P<pk>\\d+)/(?P<action>default_for_(billing|shipping))/$": "POST seulement (adresse par défaut)",
    "accounts/alerts/confirm/<str:key>/": "POST seulement (alerte de stock)",
    "accounts/alerts/cancel/key/<str:key>/": "POST seulement (alerte de stock)",
    "accounts/alerts/cancel/<int:pk>/": "POST seulement (alerte de stock)",
    "accounts/wishlists/add/<int:product_pk>/": "POST seulement ; Halle n'a pas de listes d'envies",
    "accounts/wishlists/<str:key>/add/<int:product_pk>/": "POST seulement ; Halle n'a pas de listes d'envies",
    "accounts/wishlists/<str:key>/lines/<int:line_pk>/move-to/<str:to_key>/": "POST seulement ; Halle n'a pas de listes d'envies",
}


@dataclass(frozen=True)
class SitePattern:
    route: str  # as the resolver spells it, for messages
    name: str  # namespaced name ("" when unnamed)
    params: tuple[str, ...]


def _params(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex)


def site_urls() -> list[SitePattern]:
    """Every pattern of the resolver, with its namespaced name and path parameters."""
    found: list[SitePattern] = []

    def walk(resolver, prefix: str, namespace: str, params: tuple[str, ...]):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
                walk(entry, route, inner, params + _params(entry))
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
                found.append(SitePattern(route=route, name=name, params=params + _params(entry)))

    walk(get_resolver(), "", "", ())
    return found


def not_walked_reason(pattern: SitePattern) -> str | None:
    if pattern.name in NOT_WALKED:
        return NOT_WALKED[pattern.name]
    if pattern.route in NOT_WALKED_ROUTES:
        return NOT_WALKED_ROUTES[pattern.route]
    for start, reason in NOT_WALKED.items():
        if (start.endswith("/") and pattern.route.startswith(start)) or pattern.route == start:
            return reason
    return None


@dataclass
class WalkTown:
    users: dict[str, object]  # role → user (None for the anonymous visitor)
    fill: dict[str, list[dict]] = field(default_factory=dict)  # url name → kwargs to open


def town_for_walk() -> WalkTown:
    """One object of each kind any role may open, and the users of the five roles."""
    from oscar.core.loading import get_model

    from logistics.pickup.tokens import order_status_token
    from marketplace.analytics.models import FootfallImport
    from marketplace.order import services as order_services
    from marketplace.order.models import FulfilmentMode
    from marketplace.payments.models import CommissionPlan
    from marketplace.payments.services.plans import shop_plan_change_schedule
    from marketplace.town.services.applications import application_submit, application_token
    from marketplace.town.services.content import event_save
    from marketplace.town.services.newsletter import (
        newsletter_save,
        subscription_subscribe,
        unsubscribe_token,
    )
    from shops.models import Closure, ShopRole
    from shops.staff.services import invitation_create, shop_staff_join
    from tests.factories import CategoryFactory, ProductFactory, StockRecordFactory, UserFactory
    from tests.factories.backoffice import StockImportFactory, api_token
    from tests.factories.offer import ConditionalOfferFactory, RangeFactory
    from tests.factories.orders import order_placed
    from tests.factories.pickup import part_advance, point_staff_create
    from tests.factories.shop_pages import ProductImageFactory, ShopPhotoFactory
    from tests.factories.town import basket_of, town_built

    town = town_built(shops=3, stock=40)
    shop_a, shop_b, shop_c = town.shops
    shopper = UserFactory(username="claire", first_name="Claire", last_name="Lefèvre")
    owner = UserFactory(username="muller", first_name="Marc", last_name="Muller")
    shop_staff_join(shop=shop_a, user=owner, role=ShopRole.OWNER)
    for shop in (shop_b, shop_c):
        shop_staff_join(shop=shop, user=UserFactory(username=f"gerant-{shop.slug}"), role=ShopRole.OWNER)
    team_member = UserFactory(username="apprenti", first_name="Léo", last_name="Apprenti")
    shop_staff_join(shop=shop_a, user=team_member, role=ShopRole.STAFF)
    agent = UserFactory(username="agent-point", first_name="Paul", last_name="Point")
    point_staff_create(point=town.point, user=agent)
    manager = UserFactory(username="manon", first_name="Manon", last_name="Manager", is_staff=True, is_superuser=True)

    food = CategoryFactory(name="Alimentation", slug="alimentation")
    bread = CategoryFactory(name="Pains et viennoiseries", slug="pains", parent=food)
    baguette = ProductFactory(title="Baguette tradition au levain", categories=[bread],
                              description="<p>Une baguette de tradition française, pétrie le matin.</p>")
    offer_a = StockRecordFactory(product=baguette, shop=shop_a, price=Decimal("1.20"), num_in_stock=30)
    StockRecordFactory(product=baguette, shop=shop_b, price=Decimal("1.35"), num_in_stock=0)
    ProductImageFactory(product=baguette, caption="Baguette dorée")
    for n, product in enumerate(o.product for o in town.offers):
        product.title = f"Pain de campagne n° {n + 1}"
        product.save()
        product.categories.add(bread)
    ShopPhotoFactory(shop=shop_a)
    closure = Closure.objects.create(shop=shop_a, starts_at=timezone.now() + dt.timedelta(days=20),
                                     ends_at=timezone.now() + dt.timedelta(days=27), reason="Congés d'été")
    stock_import = StockImportFactory(shop=shop_a, rows=[{"line": 2, "sku": offer_a.partner_sku, "price": "1.30", "stock": 25}])
    token, _secret = api_token(shop=shop_a, name="Caisse du comptoir")
    invitation = invitation_create(shop=shop_a, email="nouvelle@halle.test", invited_by=owner)

    # The shopper's orders: at the town point (two shops, one part dropped), at the shops (collected), cancelled.
    at_point = order_placed(items=[(offer_a, 2), (town.offers[1], 1)], mode=FulfilmentMode.AT_POINT,
                            point=town.point, slot=town.slot(town.point), user=shopper)
    part_advance(at_point.shop_orders.get(shop=shop_a), to="dropped")
    at_shops = order_placed(items=[(town.offers[0], 1)], mode=FulfilmentMode.AT_SHOPS, user=shopper)
    part = at_shops.shop_orders.get()
    for action in ("accept", "prepare", "ready", "collect"):
        getattr(order_services, f"shop_order_{action}")(shop_order=part, user=owner)
    cancelled = order_placed(items=[(town.offers[0], 3)], mode=FulfilmentMode.AT_SHOPS, user=shopper)
    order_services.shop_order_cancel(shop_order=cancelled.shop_orders.get(), user=owner)
    new_part = order_placed(items=[(offer_a, 1)], mode=FulfilmentMode.AT_SHOPS, guest_email="invite@example.test")
    part_a = new_part.shop_orders.get()

    # A delivered order of the shopper (shop A), its window staffed (zone, template, courier, vehicle).
    from marketplace.checkout.services import order_place
    from marketplace.checkout.services.delivery import checkout_delivery_hold
    from tests.factories.delivery import HOME, delivery_ready

    zone, window = delivery_ready(town, parcels=10)
    delivery_basket = basket_of([(offer_a, 5), (town.offers[1], 3)], owner=shopper)
    checkout_delivery_hold(basket=delivery_basket, window_id=window.pk, **HOME)
    delivered = order_place(basket=delivery_basket, user=shopper, mode=FulfilmentMode.DELIVERY, point=None)
    shift = window.shifts.select_related("vehicle").first()

    # The town's side: an offer, a range, a voucher, a page, a commission plan.
    promotion = ConditionalOfferFactory(name="Quinzaine du commerce")
    featured = RangeFactory(name="À la une", slug="a-la-une", products=[baguette], is_public=True)
    get_model("communication", "CommunicationEventType").objects.create(
        code="ORDER_PLACED", name="Commande passée", category="Order related")
    basket_of([(offer_a, 1)], owner=shopper)  # the shopper's basket holds something: the checkout opens
    Voucher = get_model("voucher", "Voucher")
    voucher = Voucher.objects.create(name="Bienvenue", code="BIENVENUE", start_datetime=timezone.now(),
                                     end_datetime=timezone.now() + dt.timedelta(days=30))
    voucher.offers.add(promotion)
    VoucherSet = get_model("voucher", "VoucherSet")
    voucher_set = VoucherSet.objects.create(name="Lot fête des mères", count=2, code_length=8,
                                            start_datetime=timezone.now(),
                                            end_datetime=timezone.now() + dt.timedelta(days=30))
    page = FlatPage.objects.create(url="/a-propos/", title="À propos de la Halle", content="<p>Les commerces du centre.</p>")
    page.sites.add(Site.objects.get_current())
    plan = CommissionPlan.objects.order_by("pk").first() or CommissionPlan.objects.create(
        code="collectif", name="Collectif", rate=Decimal("5.50"), is_default=True)
    line = at_point.lines.order_by("pk").first()

    # Promotions: a town campaign with a budget (shop A invited and in), a code campaign with a
    # batch and an ambassador (the shopper), shop A's own offer.
    from marketplace.promotions.services.ambassadors import ambassador_invite
    from marketplace.promotions.services.vouchers import voucher_batch_generate
    from tests.factories.promotions import campaign_made

    # (From a minimum spend: Oscar's dashboard describes a « from N items » condition with « article(s) ».)
    town_campaign = campaign_made(shops=[shop_a, shop_b], name="Semaine du commerce local", budget="200.00",
                                  minimum="30.00")
    code_campaign = campaign_made(shops=[shop_a], name="Les amis du centre", budget="100.00", code="AMIS",
                                  minimum="10.00")
    voucher_batch_generate(campaign=code_campaign, name="Flyers du marché", count=3)
    shopper.email = shopper.email or "claire@example.test"
    shopper.save(update_fields=["email"])
    ambassador_invite(campaign=code_campaign, email=shopper.email, display_name="Club de foot",
                      reward_euros=Decimal("2.00"), code="CLUBFOOT")
    campaign_made(name="−10 % sur la baguette", budget=None, funder="shop", town_share_percent=0, owner_shop=shop_a,
                  shops=[], minimum="5.00")
    today = timezone.localdate()
    # The manager's space: an application, an event, a letter, a plan change, a footfall import.
    application = application_submit(data={
        "shop_name": "Fromagerie du Beffroi", "trade": "fromagerie", "line1": "3 rue du Beffroi",
        "postcode": "45210", "city": "Beaumont-sur-Loing", "siret": "73282932000074",
        "contact_name": "Jeanne Fromage", "contact_email": "jeanne@fromagerie.test",
        "contact_phone": "02 38 00 00 00", "products": "Fromages affinés", "fulfilment": ["boutique"],
        "message": "", "consent": "on", "website": ""})
    start = timezone.localtime() + dt.timedelta(days=2)
    event = event_save(data={"kind": "event", "title": "Marché de Noël", "summary": "Chalets et vin chaud",
                             "description": "", "place": "Place de la Halle", "starts_at": start,
                             "ends_at": start + dt.timedelta(hours=6), "link": "", "is_published": True,
                             "publish_at": None})
    letter = newsletter_save(data={"subject": "Les nouvelles du centre", "body": "<p>Venez nombreux</p>"}, by=manager)
    subscription = subscription_subscribe(user=shopper)
    shop_plan_change_schedule(shop=shop_b, plan=plan, effective_from=timezone.now() + dt.timedelta(days=3))
    footfall = FootfallImport.objects.create(file_name="semaine.csv", user=manager, status="refused",
                                             errors=[{"line": 2, "message": "Site de comptage inconnu"}])

    def one(**kwargs):
        return [kwargs]

    fill = {
        "shops:detail": one(slug=shop_a.slug),
        "catalogue:detail": [{"product_slug": baguette.slug, "pk": baguette.pk}],
        "catalogue:category": one(category_slug=bread.full_slug, pk=bread.pk),
        "catalogue:range": one(slug=featured.slug),
        "catalogue:reviews-list": one(product_slug=baguette.slug, product_pk=baguette.pk),
        "catalogue:reviews-add": one(product_slug=baguette.slug, product_pk=baguette.pk),
        "basket:add": one(pk=baguette.pk),
        "basket:vouchers-remove": one(pk=voucher.pk),
        "offer:detail": one(slug=promotion.slug),
        "customer:order": [{"order_number": o.number} for o in (at_point, at_shops, cancelled, delivered)],
        "backoffice:closure-delete": one(closure_pk=closure.pk),
        "backoffice:photo-delete": one(photo_pk=shop_a.photos.first().pk),
        "backoffice:offer-edit": one(offer_pk=offer_a.pk),
        "backoffice:offer-archive": one(offer_pk=offer_a.pk),
        "backoffice:product-image-add": one(offer_pk=offer_a.pk),
        "backoffice:product-image-delete": one(offer_pk=offer_a.pk, image_pk=baguette.images.first().pk),
        "backoffice:product-image-move": one(offer_pk=offer_a.pk, image_pk=baguette.images.first().pk),
        "backoffice:import-detail": one(import_pk=stock_import.pk),
        "backoffice:import-apply": one(import_pk=stock_import.pk),
        "backoffice:team-member-remove": one(staff_user_pk=team_member.pk),
        "backoffice:invitation-cancel": one(invitation_pk=invitation.pk),
        "backoffice:api-token-revoke": one(token_pk=token.pk),
        "backoffice:order-detail": [{"shop_order_pk": p.pk} for p in (part_a, at_point.shop_orders.get(shop=shop_a))],
        "backoffice:order-step": one(shop_order_pk=part_a.pk),
        "backoffice:order-unavailable": one(shop_order_pk=part_a.pk),
        "backoffice:picking-list": one(slot_pk=part_a.slot_id),
        "payments-manager:plan-update": one(plan_pk=plan.pk),
        "promotions-manager:campaign": [{"campaign_pk": c.pk} for c in (town_campaign, code_campaign)],
        "promotions-manager:campaign-edit": one(campaign_pk=town_campaign.pk),
        "promotions-manager:statement": one(campaign_pk=town_campaign.pk, year=today.year, month=today.month),
        "promotions-ambassador:link": one(code="CLUBFOOT"),
        "pickup:order-status": [{"number": o.number, "token": order_status_token(order_number=o.number)}
                                for o in (at_point, at_shops, delivered)],
        "delivery:order-change": one(number=delivered.number, token=order_status_token(order_number=delivered.number)),
        "backoffice:delivery-picking-list": one(window_pk=window.pk),
        "delivery-manager:zone": one(zone_pk=zone.pk),
        "delivery-manager:template": one(template_pk=window.template_id),
        "delivery-manager:vehicle": one(vehicle_pk=shift.vehicle_id),
        "delivery-manager:window": one(window_pk=window.pk),
        "pickup:order-cancel": one(number=new_part.number, token=order_status_token(order_number=new_part.number)),
        "pickup:point-handover": one(point_id=town.point.pk),
        "pickup:locker-keypad": one(point_id=town.lockers.pk),
        "dashboard:catalogue-product": one(pk=baguette.pk),
        "dashboard:catalogue-product-create": [{}, {"product_class_slug": baguette.product_class.slug}],
        "dashboard:catalogue-product-delete": one(pk=baguette.pk),
        "dashboard:catalogue-category-detail-list": one(pk=food.pk),
        "dashboard:catalogue-category-create-child": one(parent=food.pk),
        "dashboard:catalogue-category-update": one(pk=bread.pk),
        "dashboard:catalogue-category-delete": one(pk=bread.pk),
        "dashboard:catalogue-class-update": one(pk=baguette.product_class.pk),
        "dashboard:catalogue-class-delete": one(pk=baguette.product_class.pk),
        "dashboard:order-detail": one(number=at_point.number),
        "dashboard:order-line-detail": one(number=at_point.number, line_id=line.pk),
        "dashboard:user-detail": one(pk=shopper.pk),
        "dashboard:user-password-reset": one(pk=shopper.pk),
        "dashboard:page-update": one(pk=page.pk),
        "dashboard:page-delete": one(pk=page.pk),
        "dashboard:partner-manage": one(pk=shop_a.partner_id),
        "dashboard:partner-delete": one(pk=shop_a.partner_id),
        "dashboard:partner-user-create": one(partner_pk=shop_a.partner_id),
        "dashboard:partner-user-select": one(partner_pk=shop_a.partner_id),
        "dashboard:shop-status": one(pk=shop_a.partner_id),
        "dashboard:offer-metadata": [{}, {"pk": promotion.pk}],
        "dashboard:offer-condition": [{}, {"pk": promotion.pk}],
        "dashboard:offer-benefit": [{}, {"pk": promotion.pk}],
        "dashboard:offer-restrictions": [{}, {"pk": promotion.pk}],
        "dashboard:offer-delete": one(pk=promotion.pk),
        "dashboard:offer-detail": one(pk=promotion.pk),
        "dashboard:range-update": one(pk=featured.pk),
        "dashboard:range-delete": one(pk=featured.pk),
        "dashboard:range-products": one(pk=featured.pk),
        "dashboard:range-reorder": one(pk=featured.pk),
        "dashboard:voucher-update": one(pk=voucher.pk),
        "dashboard:voucher-delete": one(pk=voucher.pk),
        "dashboard:voucher-stats": one(pk=voucher.pk),
        "dashboard:voucher-set-update": one(pk=voucher_set.pk),
        "dashboard:voucher-set-detail": one(pk=voucher_set.pk),
        "dashboard:voucher-set-delete": one(pk=voucher_set.pk),
        "dashboard:comms-update": one(slug="ORDER_PLACED"),
        "gestion:shop": one(shop_pk=shop_a.pk),
        "gestion:shop-audit": one(shop_pk=shop_a.pk),
        "gestion:application": one(application_pk=application.pk),
        "gestion:event-edit": one(event_pk=event.pk),
        "gestion:newsletter": one(newsletter_pk=letter.pk),
        "gestion:point": one(point_pk=town.point.pk),
        "gestion:point-templates": one(point_pk=town.point.pk),
        "gestion:point-closures": one(point_pk=town.point.pk),
        "gestion:point-compartments": one(point_pk=town.lockers.pk),
        "gestion:plan-edit": one(plan_pk=plan.pk),
        "footfall-manager:import": one(import_pk=footfall.pk),
        "town:join-edit": one(token=application_token(application=application)),
        "town:unsubscribe": one(token=unsubscribe_token(subscription=subscription)),
    }
    users = {"anonyme": None, "client": shopper, "commerçant": owner, "point de retrait": agent, "centre-ville": manager}
    return WalkTown(users=users, fill=fill)


@dataclass(frozen=True)
class WalkPage:
    url: str
    name: str


def walk_urls(town: WalkTown) -> tuple[list[WalkPage], list[str]]:
    """(every URL to try, patterns that could not be filled nor are in ``NOT_WALKED``)."""
    pages, unfilled, seen = [], [], set()
    for pattern in site_urls():
        if not_walked_reason(pattern) is not None:
            continue
        if not pattern.name:
            unfilled.append(f"{pattern.route} (sans nom)")
            continue
        variants = town.fill.get(pattern.name)
        if variants is None:
            if pattern.params:
                unfilled.append(f"{pattern.route} ({pattern.name} : {', '.join(pattern.params)})")
                continue
            variants = [{}]
        for kwargs in variants:
            if set(kwargs) != set(pattern.params):
                continue  # a variant for another pattern of the same name
            url = reverse(pattern.name, kwargs=kwargs)
            if url not in seen:
                seen.add(url)
                pages.append(WalkPage(url=url, name=pattern.name))
    return pages, unfilled


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def role_pages(town: WalkTown, pages: list[WalkPage]) -> tuple[dict[str, list[WalkPage]], list[str]]:
    """For each role, the pages it can open (a GET answered 200, HTML, without a redirect), and
    the problems met: a 500, or a page no role can open although it is not a POST-only address
    (405 for everyone) — the walk filled its parameters with something that does not exist."""
    opened: dict[str, list[WalkPage]] = {role: [] for role in town.users}
    statuses: dict[str, set[int]] = {page.url: set() for page in pages}
    problems = []
    for role, user in town.users.items():
        client = client_for(user)
        for page in pages:
            response = client.get(page.url)
            statuses[page.url].add(response.status_code)
            if response.status_code >= 500:
                problems.append(f"{role} : {page.url} répond {response.status_code}")
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                opened[role].append(page)
    for page in pages:
        if not any(page in role_list for role_list in opened.values()) and 404 in statuses[page.url]:
            problems.append(f"{page.url} ({page.name}) : aucun rôle ne l'ouvre ({sorted(statuses[page.url])})")
    return opened, problems


def session_cookie(user, base_url: str) -> list[dict]:
    """The cookie that logs the browser in as ``user`` (none for the anonymous visitor)."""
    if user is None:
        return []
    from django.conf import settings

    client = client_for(user)
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "url": base_url}]


def page_label(role: str, page: WalkPage) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{role}-{page.name}-{page.url}").strip("_")[:120]


#: Runs in the page: whether it scrolls sideways, and the elements that stick out of the viewport
#: (the outermost of each overflowing branch; content of a scrolling region, such as a data
#: table in its own scroll box, is not counted: the page itself does not scroll).
OVERFLOW_JS = r"""
() => {
  const width = window.innerWidth;
  const root = document.documentElement;
  // Inside a box that fits: hidden content is not there to scroll to, and a data table may
  // scroll in its own region (WCAG 1.4.10); any other scrolling box (a row of tabs, buttons) counts.
  const clipped = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      const box = node.getBoundingClientRect();
      const fits = box.right <= width + 1 && box.left >= -1;
      if (fits && ["hidden", "clip"].includes(style.overflowX)) return true;
      if (fits && ["auto", "scroll"].includes(style.overflowX)) {
        return node.tagName === "TABLE" || !!node.querySelector("table") ? true : false;
      }
    }
    return false;
  };
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const text = (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const box = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${id}${cls}> ${Math.round(box.left)}→${Math.round(box.right)} px « ${text} »`;
  };
  const offending = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.position === "fixed") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (el.closest(".sr-only, .halle-skip-link")) continue;
    if (clipped(el)) continue;
    if (offending.some((outer) => outer.contains(el))) continue;
    offending.push(el);
  }
  return {scrollWidth: root.scrollWidth, innerWidth: width, elements: offending.slice(0, 12).map(describe),
          more: Math.max(0, offending.length - 12)};
}
"""

#: Runs in the page: visible text written with a « (s) » plural instead of a real one.
PLURAL_JS = r"""
() => Array.from(new Set((document.body.innerText.match(/[^\s]*\w\(s\)[^\s]*/g) || [])))
"""

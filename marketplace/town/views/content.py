"""``/gestion/contenu/``: the agenda (events and announcements, with a preview and their
publication dates), what the home page puts first, the town's page."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.town.forms.content import EventForm, TownPageForm
from marketplace.town.models import TownEvent
from marketplace.town.selectors import content as selectors
from marketplace.town.services import content as services
from shops.models import Shop, ShopStatus

SEARCH_RESULTS = 20


def _errors_to_form(form, error: ValidationError) -> None:
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


@manager_view
@require_http_methods(["GET"])
def content(request):
    from marketplace.town.models import Newsletter, NewsletterSubscription

    now = timezone.now()
    return render(request, "town/content.html", {
        "events": list(selectors.events_for_manager().filter(ends_at__gt=now)[:50]),
        "past_count": selectors.events_for_manager().filter(ends_at__lte=now).count(),
        "visible_ids": set(selectors.events_visible(at=now).values_list("pk", flat=True)),
        "featured_products": selectors.featured_products_listed(),
        "featured_shops": selectors.featured_shops_listed(),
        "subscribers": NewsletterSubscription.objects.filter(unsubscribed_at__isnull=True).count(),
        "newsletters": Newsletter.objects.order_by("-created_at")[:5],
        "now": now,
    })


def _event_page(request, form, *, event=None, preview=None, status=200):
    return render(request, "town/event_form.html", {"form": form, "event": event, "preview": preview}, status=status)


def _event_post(request, *, event=None):
    form = EventForm(request.POST, instance=event)
    if not form.is_valid():
        return _event_page(request, form, event=event, status=400)
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if request.POST.get("action") == "preview":
            # Not saved: the event as the home page would show it (on a fresh object).
            preview = services.event_build(data=data, event=TownEvent(pk=getattr(event, "pk", None)))
            return _event_page(request, form, event=event, preview=preview)
        saved = services.event_save(data=data, event=event)
    except ValidationError as error:
        _errors_to_form(form, error)
        return _event_page(request, form, event=event, status=400)
    messages.success(request, f"« {saved.title} » enregistré.")
    return redirect("gestion:content")


@manager_view
@require_http_methods(["GET", "POST"])
def event_create(request):
    if request.method == "POST":
        return _event_post(request)
    return _event_page(request, EventForm(initial={"is_published": True}))


@manager_view
@require_http_methods(["GET", "POST"])
def event_edit(request, event_pk: int):
    event = get_object_or_404(TownEvent, pk=event_pk)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.event_delete(event=event)
            messages.success(request, f"« {event.title} » supprimé.")
            return redirect("gestion:content")
        return _event_post(request, event=event)
    return _event_page(request, EventForm(instance=event), event=event)


@manager_view
@require_http_methods(["GET", "POST"])
def town_page(request):
    page = services.town_page_get()
    form = TownPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        try:
            services.town_page_update(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Page du centre-ville enregistrée.")
            return redirect("gestion:town-page")
    return render(request, "town/town_page_form.html", {"form": form}, status=400 if form.errors else 200)


@manager_view
def featured(request):
    """GET: search products and shops to put first. POST: add, remove or move one."""
    from marketplace.catalogue.models import Product

    if request.method == "POST":
        kind, action = request.POST.get("kind"), request.POST.get("action")
        try:
            if kind == "product":
                product = get_object_or_404(Product, pk=request.POST.get("item") or 0)
                if action == "add":
                    services.featured_product_add(product=product)
                elif action == "remove":
                    services.featured_product_remove(product=product)
                else:
                    raise ValidationError("Action inconnue : rechargez la page.")
            elif kind == "shop":
                shop = get_object_or_404(Shop, pk=request.POST.get("item") or 0)
                if action == "add":
                    services.featured_shop_add(shop=shop)
                elif action == "remove":
                    services.featured_shop_remove(shop=shop)
                elif action in ("up", "down"):
                    services.featured_shop_move(shop=shop, direction=action)
                else:
                    raise ValidationError("Action inconnue : rechargez la page.")
            else:
                raise ValidationError("Action inconnue : rechargez la page.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Page d'accueil mise à jour.")
        return redirect(f"{request.path}?{urlencode({'q': request.GET.get('q', '')[:100]})}")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    query = request.GET.get("q", "").strip()[:100]
    products = shops = []
    if query:
        products = list(Product.objects.filter(is_public=True).filter(Q(title__icontains=query) | Q(upc__iexact=query))
                        .order_by("title", "pk")[:SEARCH_RESULTS])
        shops = list(Shop.objects.filter(status=ShopStatus.ACTIVE, name__icontains=query).order_by("name")[:SEARCH_RESULTS])
    featured_products = selectors.featured_products_listed()
    featured_shops = selectors.featured_shops_listed()
    return render(request, "town/featured.html", {
        "query": query, "products": products, "shops": shops,
        "featured_products": featured_products, "featured_shops": featured_shops,
        "featured_product_ids": {p.pk for p in featured_products}, "featured_shop_ids": {s.pk for s in featured_shops},
    })

"""The merchant back-office at /espace-commercant/: one shop at a time, only its own objects.

Every view goes through ``backoffice_view``: anonymous users are sent to the login
page, users who are staff of no shop get a 403, and ``request.shop`` is the
current shop, re-validated against ``shops_for_user`` on every request (the
session only remembers which one was picked). Objects in URLs are always looked
up *within* ``request.shop``: another shop's id is a 404.
"""
from __future__ import annotations

import csv
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from marketplace.order import selectors as order_selectors
from marketplace.partner.models import StockRecord
from shops import selectors, stock
from shops.services import catalogue
from shops.services import profile as shop_profile
from shops.services import stock_import as stock_imports
from shops.backoffice import forms
from shops.backoffice.assisted import (
    OWNER_PAGES,
    assisted_consent_for,
    assisted_refuse,
    assisted_write,
)
from shops.models import Closure, ShopPhoto, ShopRole, ShopStatus, StockImport, StockImportStatus

SESSION_KEY = "backoffice_shop_id"
OFFERS_PER_PAGE = 25
IMPORT_ERRORS_SHOWN = 200


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SUSPENDED_MESSAGE = (
    "Votre commerce est suspendu par le centre-ville : vous pouvez consulter votre espace, "
    "mais aucune modification n'est possible. Contactez le centre-ville pour en savoir plus."
)
OWNER_ONLY_MESSAGE = "Cette page est réservée au gérant du commerce."


def backoffice_view(view=None, *, needs_shop: bool = True, owner_only: bool = False, read_only_ok: bool = False):
    """Login, shop staff membership and the current shop for ``view``.

    Sets ``request.shop`` and ``request.shop_role`` ("owner" or "staff"), and
    ``request.assisted``: the consent under which the town manager acts for the shop
    (assisted mode, ``shops.backoffice.assisted``), ``None`` for the shop's own staff.
    ``owner_only``: staff who are not the owner get a 403 (staff, API tokens,
    payment settings). Writes (any method but GET/HEAD/OPTIONS) to a suspended
    shop are refused with a 403 page saying why, unless ``read_only_ok`` (a view
    that changes nothing of the shop, such as picking which shop to work on).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            from shops.staff.selectors import shop_role_get

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("customer:login"))
            consent = assisted_consent_for(request)
            request.assisted = consent
            if consent is not None:
                return _assisted(request, consent, func, args, kwargs, owner_only=owner_only)
            if not selectors.shops_for_user(user=request.user).exists():
                raise PermissionDenied("Vous n'êtes membre d'aucun commerce.")
            request.shop = selectors.backoffice_shop_get(user=request.user, shop_id=request.session.get(SESSION_KEY))
            request.shop_role = None
            if request.shop is None:
                if needs_shop:
                    return redirect("backoffice:shop-choose")
            else:
                request.shop_role = shop_role_get(shop=request.shop, user=request.user)
                if owner_only and request.shop_role != ShopRole.OWNER:
                    return render(request, "backoffice/refused.html", {"message": OWNER_ONLY_MESSAGE}, status=403)
                if (
                    request.method not in SAFE_METHODS
                    and not read_only_ok
                    and request.shop.status == ShopStatus.SUSPENDED
                ):
                    return render(request, "backoffice/refused.html", {"message": SUSPENDED_MESSAGE}, status=403)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _assisted(request, consent, func, args, kwargs, *, owner_only: bool):
    """The town manager acting for ``consent.shop`` (see ``shops.backoffice.assisted``)."""
    request.shop, request.shop_role = consent.shop, None
    url_name = request.resolver_match.url_name if request.resolver_match else ""
    if url_name == "shop-choose":
        return redirect("backoffice:home")
    if owner_only and url_name not in OWNER_PAGES:
        return assisted_refuse(request, consent, url_name=url_name)
    if request.method in SAFE_METHODS:
        return func(request, *args, **kwargs)
    if request.shop.status == ShopStatus.SUSPENDED:
        return render(request, "backoffice/refused.html", {"message": SUSPENDED_MESSAGE}, status=403)
    return assisted_write(request, consent, func, args, kwargs)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@backoffice_view
@require_http_methods(["GET"])
def home(request):
    from shops.onboarding import shop_onboarding_get

    shop = request.shop
    return render(request, "backoffice/home.html", {
        "onboarding": shop_onboarding_get(shop=shop),
        # Its steps lead to the owner's pages (payments, team): links for the owner and the town only.
        "onboarding_links": request.shop_role == ShopRole.OWNER or request.assisted is not None,
        "open_orders_count": order_selectors.shop_orders_open_count(shop=shop),
        "low_stock_count": selectors.shop_offers_low_stock(shop=shop).count(),
        "offer_count": selectors.shop_offers_listed(shop=shop).count(),
        "several_shops": selectors.shops_for_user(user=request.user).count() > 1,
    })


@backoffice_view(needs_shop=False, read_only_ok=True)
@require_http_methods(["GET", "POST"])
def shop_choose(request):
    shops = selectors.shops_for_user(user=request.user).order_by("name")
    if request.method == "POST":
        form = forms.ShopChooseForm(request.POST)
        if not form.is_valid():
            raise Http404("Commerce inconnu.")
        shop = get_object_or_404(shops, pk=form.cleaned_data["shop"])
        request.session[SESSION_KEY] = shop.pk
        messages.success(request, f"Vous gérez maintenant « {shop.name} ».")
        return redirect("backoffice:home")
    return render(request, "backoffice/shop_choose.html", {"shops": shops})


@backoffice_view
@require_http_methods(["GET", "POST"])
def profile(request):
    shop = request.shop
    form = forms.ShopProfileForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_profile_update(shop=shop, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Profil enregistré.")
            return redirect("backoffice:profile")
    shop.refresh_from_db()
    return render(request, "backoffice/profile.html", {"form": form})


@backoffice_view
@require_http_methods(["GET", "POST"])
def hours(request):
    shop = request.shop
    if request.method == "POST":
        formset = forms.OpeningHoursFormSet(request.POST, prefix="h")
        if formset.is_valid():
            try:
                shop_profile.shop_opening_hours_set(shop=shop, periods=formset.periods())
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, "Horaires enregistrés.")
                return redirect("backoffice:hours")
    else:
        initial = [{"weekday": p.weekday, "opens": p.opens, "closes": p.closes} for p in shop.opening_periods.all()]
        formset = forms.OpeningHoursFormSet(initial=initial, prefix="h")
    return render(request, "backoffice/hours.html", {"formset": formset})


@backoffice_view
@require_http_methods(["GET", "POST"])
def closures(request):
    shop = request.shop
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_closure_add(shop=shop, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Fermeture ajoutée.")
            return redirect("backoffice:closures")
    return render(request, "backoffice/closures.html", {
        "form": form, "closures": shop.closures.order_by("-starts_at")[:50],
    })


@backoffice_view
def closure_delete(request, closure_pk: int):
    closure = get_object_or_404(Closure, pk=closure_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    shop_profile.shop_closure_delete(closure=closure)
    messages.success(request, "Fermeture supprimée.")
    return redirect("backoffice:closures")


@backoffice_view
@require_http_methods(["GET", "POST"])
def photos(request):
    shop = request.shop
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_photo_add(shop=shop, upload=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _errors_to_form(form, error)
            else:
                form.add_error("image", error)
        else:
            messages.success(request, "Photo ajoutée.")
            return redirect("backoffice:photos")
    return render(request, "backoffice/photos.html", {"form": form, "photos": shop.photos.all()})


@backoffice_view
def photo_delete(request, photo_pk: int):
    photo = get_object_or_404(ShopPhoto, pk=photo_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    shop_profile.shop_photo_delete(photo=photo)
    messages.success(request, "Photo supprimée.")
    return redirect("backoffice:photos")


def _offers_page(request):
    search = forms.OfferSearchForm(request.GET)
    search.is_valid()
    offers = selectors.shop_offers_listed(
        shop=request.shop, query=search.cleaned_data.get("q", ""), stock=search.cleaned_data.get("stock", "")
    )
    page = Paginator(offers, OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    return search, page


@backoffice_view
@require_http_methods(["GET", "POST"])
def offers(request):
    """The shop's offers, searchable and filterable, with a bulk price/stock form over the page."""
    search, page = _offers_page(request)
    rows = list(page.object_list)
    if request.method == "POST":
        formset = forms.OfferBulkFormSet(request.POST, prefix="o")
        if formset.is_valid():
            changes = {
                f.cleaned_data["offer"]: (f.cleaned_data.get("price"), f.cleaned_data.get("num_in_stock"))
                for f in formset.forms
                if f.cleaned_data
            }
            try:
                if not changes:
                    raise ValidationError("Aucune modification.")
                count = stock.offers_bulk_update(shop=request.shop, changes=changes)
            except ValidationError as error:
                by_offer = getattr(error, "error_dict", {})
                for form in formset.forms:
                    for message in by_offer.get(str(form.cleaned_data.get("offer")), []):
                        form.add_error("num_in_stock", message)
                if not by_offer:
                    formset._non_form_errors = formset.error_class(error.messages)
                else:
                    formset._non_form_errors = formset.error_class(["Rien n'a été enregistré : corrigez les lignes signalées."])
            else:
                messages.success(request, ngettext(
                    "%(count)d offre mise à jour.", "%(count)d offres mises à jour.", count
                ) % {"count": count})
                return redirect(request.get_full_path())
    else:
        formset = _offers_formset(rows)
    pairs = _offer_pairs(rows, formset)
    refusal = []
    if request.method == "POST" and pairs is None:
        # Not this page's own form (a crafted or stale POST): say why, nothing was saved,
        # and show the page's rows afresh.
        refusal = _bulk_refusal(formset)
        formset = _offers_formset(rows)
        pairs = _offer_pairs(rows, formset)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/offers.html", {
        "search": search, "page_obj": page, "pairs": pairs or [], "formset": formset, "query": query.urlencode(),
        "refusal": refusal,
    })


BULK_TAMPERED = (
    "Le formulaire envoyé est incomplet ou a été modifié : rien n'a été enregistré. "
    "Rechargez la page et recommencez."
)
BULK_TOO_MANY = "Trop de lignes envoyées ({max} au plus par page) : rien n'a été enregistré."
BULK_NOT_THIS_PAGE = (
    "Les lignes envoyées ne correspondent pas aux produits de cette page (la liste a peut-être changé "
    "entre-temps) : rien n'a été enregistré. Vérifiez les valeurs ci-dessous et enregistrez à nouveau."
)


def _offers_formset(rows):
    return forms.OfferBulkFormSet(
        initial=[{"offer": o.pk, "price": o.price, "num_in_stock": o.num_in_stock} for o in rows], prefix="o"
    )


def _offer_pairs(rows, formset):
    """(offer, form) for each row of the page, or None when the formset's rows are not the page's."""
    if len(rows) != len(formset.forms):
        return None
    if not all(str(form["offer"].value()) == str(offer.pk) for offer, form in zip(rows, formset.forms)):
        return None
    return list(zip(rows, formset.forms))


def _bulk_refusal(formset) -> list[str]:
    """Why a bulk POST could not be shown against the page's rows, in French."""
    if not formset.management_form.is_valid():
        return [BULK_TAMPERED]
    if formset.total_form_count() > formset.max_num:
        return [BULK_TOO_MANY.format(max=formset.max_num)]
    return [BULK_NOT_THIS_PAGE]


@backoffice_view
@require_http_methods(["GET"])
def low_stock(request):
    return render(request, "backoffice/low_stock.html", {"offers": selectors.shop_offers_low_stock(shop=request.shop)[:200]})


def _offer_or_404(request, offer_pk: int) -> StockRecord:
    try:
        return selectors.shop_offer_get(shop=request.shop, offer_id=offer_pk)
    except StockRecord.DoesNotExist:
        raise Http404("Offre inconnue.") from None


def _product_initial(offer) -> dict:
    from shops.html import html_as_plain_text, html_sanitise

    category = offer.product.categories.order_by("productcategory__pk").first()
    description = html_sanitise(html=offer.product.description or "")
    return {
        "title": offer.product.title, "description": html_as_plain_text(html=description) or description,
        "category": category.pk if category else None, "product_class": offer.product.product_class_id,
        "price": offer.price, "num_in_stock": offer.num_in_stock, "sku": offer.partner_sku,
    }


@backoffice_view
@require_http_methods(["GET", "POST"])
def offer_edit(request, offer_pk: int):
    """Edit a product and this shop's offer of it; its pictures are managed on the same page."""
    offer = _offer_or_404(request, offer_pk)
    shared = catalogue.product_is_shared(offer=offer)
    initial = _product_initial(offer)
    form = forms.ProductEditForm(request.POST or None, initial=initial, shared=shared)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            catalogue.product_update(
                offer=offer, title=data["title"], description=data["description"], category=data["category"],
                product_class=data["product_class"], price=data["price"], num_in_stock=data["num_in_stock"], sku=data["sku"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"« {data['title']} » enregistré.")
            return redirect("backoffice:offer-edit", offer_pk=offer.pk)
    return render(request, "backoffice/offer_edit.html", {
        "offer": offer, "form": form, "shared": shared, "shared_message": catalogue.PRODUCT_SHARED,
        "images": list(offer.product.images.order_by("display_order", "pk")),
        "image_form": forms.ProductImageForm(),
    })


def _image_or_404(request, offer_pk: int, image_pk: int):
    from marketplace.catalogue.models import ProductImage

    offer = _offer_or_404(request, offer_pk)
    return offer, get_object_or_404(ProductImage, pk=image_pk, product_id=offer.product_id)


@backoffice_view
def product_image_add(request, offer_pk: int):
    offer = _offer_or_404(request, offer_pk)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    form = forms.ProductImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez une photo à ajouter.")
    else:
        try:
            catalogue.product_image_add(offer=offer, upload=form.cleaned_data["image"], caption=form.cleaned_data["caption"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Photo ajoutée.")
    return redirect("backoffice:offer-edit", offer_pk=offer.pk)


@backoffice_view
def product_image_delete(request, offer_pk: int, image_pk: int):
    offer, image = _image_or_404(request, offer_pk, image_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        catalogue.product_image_delete(offer=offer, image=image)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Photo supprimée.")
    return redirect("backoffice:offer-edit", offer_pk=offer.pk)


@backoffice_view
def product_image_move(request, offer_pk: int, image_pk: int):
    offer, image = _image_or_404(request, offer_pk, image_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        catalogue.product_image_move(offer=offer, image=image, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("backoffice:offer-edit", offer_pk=offer.pk)


@backoffice_view
def offer_archive(request, offer_pk: int):
    offer = _offer_or_404(request, offer_pk)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    archived = request.POST.get("action") != "restore"
    try:
        catalogue.offer_archive(offer=offer, archived=archived)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"« {offer.product.title} » {'archivé' if archived else 'remis en vente'}.")
    return redirect("backoffice:offers")


@backoffice_view
@require_http_methods(["GET", "POST"])
def product_create(request):
    form = forms.ProductCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = catalogue.product_create(
                shop=request.shop, title=data["title"], description=data["description"], category=data["category"],
                product_class=data["product_class"], price=data["price"], num_in_stock=data["num_in_stock"],
                sku=data["sku"], image=data["image"] or None,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _errors_to_form(form, error)
            else:
                form.add_error("image", error)
        else:
            messages.success(request, f"« {product.title} » est en vente.")
            return redirect("backoffice:offers")
    return render(request, "backoffice/product_create.html", {"form": form})


@backoffice_view
@require_http_methods(["GET", "POST"])
def imports(request):
    form = forms.StockImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", "Fichier trop volumineux (5 Mo au maximum).")
        else:
            stock_import = stock_imports.stock_import_preview(
                shop=request.shop, user=request.user, file_name=upload.name, data=upload.read()
            )
            return redirect("backoffice:import-detail", import_pk=stock_import.pk)
    return render(request, "backoffice/imports.html", {
        "form": form, "imports": selectors.shop_stock_imports_listed(shop=request.shop)[:30],
    })


@backoffice_view
def import_detail(request, import_pk: int):
    stock_import = get_object_or_404(StockImport, pk=import_pk, shop=request.shop)
    if request.method not in ("GET", "HEAD"):  # looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["GET"])
    return render(request, "backoffice/import_detail.html", {
        "stock_import": stock_import,
        "errors": stock_import.errors[:IMPORT_ERRORS_SHOWN],
        "more_errors": max(0, len(stock_import.errors) - IMPORT_ERRORS_SHOWN),
        "preview_rows": _preview_rows(request.shop, stock_import.rows[:20]),
        "running": stock_import.status == StockImportStatus.RUNNING,
    })


def _preview_rows(shop, rows: list[dict]) -> list[dict]:
    """The import's first rows with what each changes: this shop's current price and stock
    beside the new ones (one query; only this shop's offers are looked up)."""
    current = selectors.shop_offers_by_skus(shop=shop, skus=[row["sku"] for row in rows])
    preview = []
    for row in rows:
        offer = current.get(row["sku"])
        preview.append({
            **row,
            "old_price": offer.price if offer is not None else None,
            "old_stock": offer.num_in_stock if offer is not None else None,
        })
    return preview


@backoffice_view
def import_apply(request, import_pk: int):
    stock_import = get_object_or_404(StockImport, pk=import_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    try:
        stock_import = stock_imports.stock_import_apply_start(stock_import=stock_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if stock_import.status == StockImportStatus.APPLIED:
            messages.success(request, ngettext(
                "Import appliqué : %(count)d ligne.", "Import appliqué : %(count)d lignes.", stock_import.row_count
            ) % {"count": stock_import.row_count})
        elif stock_import.status == StockImportStatus.REFUSED:
            messages.error(request, "Import refusé : rien n'a été modifié.")
        else:
            messages.info(request, "Import en cours : cette page se met à jour toute seule.")
    return redirect("backoffice:import-detail", import_pk=stock_import.pk)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell safe to open in a spreadsheet: text starting with = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@backoffice_view
@require_http_methods(["GET"])
def export(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="offres-{request.shop.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["sku", "prix", "stock", "reserve", "titre", "archive"])
    for offer in selectors.shop_offers_exported(shop=request.shop).iterator(chunk_size=2000):
        price = "" if offer.price is None else f"{offer.price:.2f}".replace(".", ",")
        writer.writerow([
            csv_cell(offer.partner_sku), price, offer.num_in_stock if offer.num_in_stock is not None else "",
            offer.num_allocated or 0, csv_cell(offer.product.title), "oui" if not offer.product.is_public else "non",
        ])
    return response

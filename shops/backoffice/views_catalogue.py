"""The merchant's catalogue pages: offers (one by one and in bulk), low stock, product and photo edits."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from marketplace.partner.models import StockRecord
from shops import selectors, stock
from shops.backoffice import forms
from shops.backoffice.access import backoffice_view, errors_to_form
from shops.services import catalogue

OFFERS_PER_PAGE = 25

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
            errors_to_form(form, error)
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
                errors_to_form(form, error)
            else:
                form.add_error("image", error)
        else:
            messages.success(request, f"« {product.title} » est en vente.")
            return redirect("backoffice:offers")
    return render(request, "backoffice/product_create.html", {"form": form})



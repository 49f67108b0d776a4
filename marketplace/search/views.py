"""Catalogue listings and search, served from the database.

Every listing takes the same filters (``ProductFilterForm``) and shows facets
per shop and per category, each counted in one aggregate query: a page costs
the same number of queries whatever the number of products on it.
"""
from __future__ import annotations

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from marketplace.catalogue.models import Category
from marketplace.core.json_ld import breadcrumb_list, json_ld_script
from marketplace.search import selectors, suggestions
from marketplace.search.forms import ProductFilterForm, SearchForm, Sort


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = 24
    search = False  # whether "pertinence" is a sort order

    page_error = None

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # A page number out of range or not a number shows the first page, and says so.
            self.page_error = _("La page demandée n’existe pas : voici la première page.")
            self.kwargs["page"] = 1
            self.request.GET = self.request.GET.copy()
            self.request.GET["page"] = "1"
            return super().paginate_queryset(queryset, page_size)

    def get_base_queryset(self):
        """The products this listing draws from, before filters: the whole catalogue here."""
        return selectors.products_listed()

    def get_queryset(self):
        self.filter_form = ProductFilterForm(self.request.GET, search=self.search)
        self.filters = self.filter_form.filters()
        self.base = self.get_base_queryset()
        products = selectors.products_filter(products=self.base, filters=self.filters)
        return selectors.products_sort(products=products, filters=self.filters)

    def facet_scope(self) -> Category | None:
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filters
        ctx["filter_form"] = self.filter_form
        ctx["filters"] = filters
        ctx["filter_errors"] = self.filter_form.error_messages() + ([self.page_error] if self.page_error else [])
        ctx["sort_choices"] = Sort.choices(search=self.search)
        ctx["shop_facets"] = selectors.shop_facets_count(products=self.base, filters=filters)
        ctx["category_facets"] = selectors.category_facets_count(
            products=self.base, filters=filters, within=self.facet_scope()
        )
        ctx["selected_shop"] = next((f for f in ctx["shop_facets"] if f.slug == filters.shop), None)
        ctx["has_filters"] = bool(
            filters.shop
            or filters.category
            or filters.price_min is not None
            or filters.price_max is not None
            or filters.in_stock
        )
        return ctx


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("Tous les produits")
        return ctx


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.products_in_category(category=self.category)

    def facet_scope(self):
        return self.category

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["ancestors"] = ancestors = list(Category.objects.get_ancestors(self.category))
        absolute = self.request.build_absolute_uri
        trail = [(str(_("Accueil")), absolute(reverse("home")))]
        trail += [(c.name, absolute(c.get_absolute_url())) for c in [*ancestors, self.category]]
        ctx["json_ld"] = json_ld_script(breadcrumb_list(trail))
        ctx["summary"] = self.category.name
        return ctx


class SearchView(ProductListView):
    """Search results: the shops the query names above the products it finds.

    A query that finds nothing as typed (and has no filter to blame) is
    corrected when a close word exists: « chocolta » shows the results for
    « chocolat », and says so. If even that finds nothing, the page offers the
    closest categories and shops (a link to an empty search would not help). The usual page costs a
    fixed number of queries; a correction a few more, whatever the catalogue.
    """

    template_name = "oscar/search/results.html"
    search = True

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        self.corrected_from = None
        self.selling_shops = None
        self.plan = selectors.search_plan(query=self.query)
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        if self.plan and not self._found(context) and not context["has_filters"]:
            context = self._corrected(context)
        if self.query and not self._found(context):
            context["closest"] = suggestions.closest_get(query=self.query)
        return self.render_to_response(context)

    @staticmethod
    def _found(context) -> bool:
        return bool(context["paginator"].count or context["shops_found"])

    def _corrected(self, context):
        """The context for the corrected query if it finds something, else ``context`` unchanged."""
        corrected = suggestions.query_correct(plan=self.plan)
        if not corrected:
            return context
        typed = (self.plan, self.query, self.object_list, self.shop_hits)
        self.plan, self.corrected_from, self.query = selectors.search_plan(query=corrected), self.query, corrected
        self.object_list = self.get_queryset()
        corrected_context = self.get_context_data()
        if self._found(corrected_context):
            return corrected_context
        self.plan, self.query, self.object_list, self.shop_hits = typed
        self.corrected_from = None
        return context

    def get_base_queryset(self):
        if self.selling_shops is None and self.plan:
            self.selling_shops = selectors.shops_selling()
        products = selectors.products_search(query=self.plan)
        self.shop_hits = selectors.shops_search(query=self.plan, products=products, shops=self.selling_shops)
        return products

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        first_page = ctx["page_obj"] is None or ctx["page_obj"].number == 1
        shown = self.shop_hits[: selectors.SHOPS_SHOWN] if first_page else []
        ctx["query"] = self.query
        ctx["form"] = self.form
        ctx["summary"] = _("Résultats pour « %(q)s »") % {"q": self.query}
        ctx["corrected_from"] = self.corrected_from
        ctx["shops_found"] = [hit.shop for hit in shown]
        ctx["shops_more"] = len(self.shop_hits) - len(shown) if first_page else 0
        trades = {hit.shop.trade for hit in self.shop_hits}
        ctx["shops_trade"] = next(iter(trades)) if len(trades) == 1 and ctx["shops_more"] else None
        ctx["closest"] = None
        return ctx

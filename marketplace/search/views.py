"""Catalogue listings and search, served from the database.

Every listing takes the same filters (``ProductFilterForm``) and shows facets
per shop and per category, each counted in one aggregate query: a page costs
the same number of queries whatever the number of products on it.
"""
from __future__ import annotations

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from marketplace.catalogue.models import Category
from marketplace.search import selectors
from marketplace.search.forms import ProductFilterForm, SearchForm, Sort


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = 24
    search = False  # whether "pertinence" is a sort order

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # A page number out of range or not a number shows the first page.
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
        ctx["filter_errors"] = self.filter_form.error_messages()
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
        ctx["ancestors"] = Category.objects.get_ancestors(self.category)
        ctx["summary"] = self.category.name
        return ctx


class SearchView(ProductListView):
    template_name = "oscar/search/results.html"
    search = True

    def get_base_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return selectors.products_search(query=self.query)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        ctx["form"] = self.form
        ctx["summary"] = _("Résultats pour « %(q)s »") % {"q": self.query}
        ctx["suggestion"] = None
        if self.query and ctx["paginator"].count == 0:
            ctx["suggestion"] = selectors.query_suggest(query=self.query)
        return ctx

"""Catalogue listings and search, served from the database."""
from __future__ import annotations

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from marketplace.catalogue.models import Category
from marketplace.search import selectors
from marketplace.search.forms import SearchForm


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = 24

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # A page number out of range or not a number shows the first page.
            self.kwargs["page"] = 1
            self.request.GET = self.request.GET.copy()
            self.request.GET["page"] = "1"
            return super().paginate_queryset(queryset, page_size)


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_queryset(self):
        return selectors.products_listed()

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

    def get_queryset(self):
        return selectors.products_in_categories(categories=self.category.get_descendants_and_self())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class SearchView(ProductListView):
    template_name = "oscar/search/results.html"

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.cleaned_data["q"].strip() if self.form.is_valid() else ""
        if not self.query:
            return selectors.products_listed().none()
        return selectors.products_matching(query=self.query)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        ctx["form"] = self.form
        ctx["summary"] = _("Résultats pour « %(q)s »") % {"q": self.query}
        return ctx

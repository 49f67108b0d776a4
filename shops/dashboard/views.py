"""The manager's shop pages inside Oscar's dashboard (see ``shops.dashboard.apps``)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views import generic
from oscar.apps.dashboard.partners.views import PartnerDeleteView as OscarPartnerDeleteView

from marketplace.partner.models import Partner
from shops.services import profile
from shops.dashboard.forms import ShopCreateForm
from shops.models import Shop, ShopRole, ShopStatus
from shops.staff.services import invitation_create


class ShopListView(generic.ListView):
    template_name = "dashboard/shops/shop_list.html"
    context_object_name = "partners"
    paginate_by = 50

    def get_queryset(self):
        partners = Partner.objects.select_related("shop").annotate(staff_count=Count("users")).order_by("name")
        self.query = self.request.GET.get("q", "").strip()[:100]
        if self.query:
            partners = partners.filter(name__icontains=self.query)
        status = self.request.GET.get("statut", "")
        if status in ShopStatus.values:
            partners = partners.filter(shop__status=status)
        return partners

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, statuses=ShopStatus.choices, **kwargs)


class ShopCreateView(generic.FormView):
    template_name = "oscar/dashboard/partners/partner_form.html"
    form_class = ShopCreateForm
    success_url = reverse_lazy("dashboard:partner-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Nouveau commerce", **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        owner_email = data.pop("owner_email")
        try:
            with transaction.atomic():
                shop = profile.shop_create(**data)
                invitation_create(shop=shop, email=owner_email, invited_by=self.request.user, role=ShopRole.OWNER)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {"__all__": error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"Commerce « {shop.name} » créé ; invitation envoyée à {owner_email}.")
        return super().form_valid(form)


class ShopStatusView(generic.View):
    """Suspend a shop (its products leave the storefront, its staff keep a read-only back-office) or reactivate it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        shop = get_object_or_404(Shop, partner_id=pk)
        suspended = request.POST.get("action") == "suspend"
        profile.shop_suspend(shop=shop, suspended=suspended)
        if suspended:
            messages.success(request, f"« {shop.name} » est suspendu : ses produits ne sont plus en vente.")
        else:
            messages.success(request, f"« {shop.name} » est de nouveau actif.")
        return redirect("dashboard:partner-list")


class PartnerDeleteView(OscarPartnerDeleteView):
    """A shop's partner carries its orders and stock: it is suspended, never deleted."""

    def dispatch(self, request, *args, **kwargs):
        if Shop.objects.filter(partner_id=kwargs.get("pk")).exists():
            messages.error(request, "Un commerce ne se supprime pas : suspendez-le pour retirer ses produits de la vente.")
            return redirect("dashboard:partner-list")
        return super().dispatch(request, *args, **kwargs)

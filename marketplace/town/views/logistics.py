"""``/gestion/logistique/``: collection points, their hours, slot templates and capacities,
closures, locker compartments. A change that would take booked slots out of the offer
(or concern a compartment holding a parcel) is shown first and saved only once confirmed;
nothing booked is ever dropped (``logistics.services.points``)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from logistics.models import (
    CollectionPoint,
    LockerCompartment,
    PointClosure,
    PointKind,
    SlotTemplate,
)
from logistics.services import points as services
from marketplace.core.manager import manager_view
from marketplace.town.forms import logistics as forms
from shops.backoffice.forms import OpeningHoursFormSet


def _errors_to_form(form, error: ValidationError) -> None:
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


def _fresh(obj):
    """A new copy of ``obj`` for each run of a change: the impact's dry run must leave
    nothing behind, not even in the objects it was given."""
    return None if obj is None else type(obj).objects.get(pk=obj.pk)


def _done(request, impact: services.Impact, what: str) -> None:
    text = f"{what} Créneaux : {impact.created} créé(s), {impact.updated} modifié(s), {impact.removed} supprimé(s)."
    if impact.kept:
        text += f" {len(impact.kept)} créneau(x) réservé(s) gardé(s) hors de l'offre, à traiter."
    messages.success(request, text)


def _through_impact(request, form, point, change, *, what: str, compartments=(), render_page):
    """Preview the change's impact; save it when nothing booked is concerned or once confirmed."""
    try:
        if not form.cleaned_data.get("confirm"):
            impact = services.change_impact(point=point, change=change, compartments=compartments)
            if impact.breaks_bookings:
                form.data = form.data.copy()
                form.data["confirm"] = "True"
                return render_page(form=form, impact=impact)
        _done(request, services.change_apply(point=point, change=change), what)
    except ValidationError as error:
        _errors_to_form(form, error)
        return render_page(form=form, status=400)
    return None


@manager_view
@require_http_methods(["GET"])
def logistics(request):
    from logistics.selectors import slots_needing_attention
    from marketplace.order.models import OPEN_STATUSES

    now = timezone.now()
    points = (
        CollectionPoint.objects.annotate(
            templates=Count("slot_templates", filter=Q(slot_templates__is_active=True), distinct=True),
            compartments_count=Count("compartments", filter=Q(compartments__is_active=True), distinct=True),
            closures_ahead=Count("closures", filter=Q(closures__ends_at__gt=now), distinct=True),
        ).select_related("shop").order_by("kind", "name")
    )
    attention = list(slots_needing_attention().filter(ends_at__gt=now).prefetch_related("shop_orders__order")[:100])
    for slot in attention:
        slot.open_orders = sorted({p.order.number for p in slot.shop_orders.all() if p.status in OPEN_STATUSES})
    return render(request, "town/logistics.html", {
        "shared": [p for p in points if p.kind != PointKind.SHOP_COUNTER],
        "counters": [p for p in points if p.kind == PointKind.SHOP_COUNTER],
        "attention": attention,
    })


@manager_view
@require_http_methods(["GET", "POST"])
def point_create(request):
    form = forms.PointCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.point_create(**form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"« {point.name} » créé : ajoutez ses horaires et ses créneaux.")
            return redirect("gestion:point", point_pk=point.pk)
    return render(request, "town/point_create.html", {"form": form}, status=400 if form.errors else 200)


@manager_view
@require_http_methods(["GET", "POST"])
def point(request, point_pk: int):
    point = get_object_or_404(CollectionPoint.objects.select_related("shop"), pk=point_pk)
    initial = {"name": point.name, "address": point.address, "shelf_capacity": point.shelf_capacity, "is_active": point.is_active}
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.PointEditForm(request.POST if action == "point" else None, initial=initial)
    hours_initial = [{"weekday": p.weekday, "opens": p.opens, "closes": p.closes} for p in point.opening_periods.all()]
    hours = OpeningHoursFormSet(request.POST if action == "hours" else None, initial=hours_initial, prefix="h")

    def page(form=form, impact=None, status=200):
        return render(request, "town/point.html", {"point": point, "form": form, "hours": hours, "impact": impact},
                      status=status)

    if action == "point":
        if not form.is_valid():
            return page(status=400)
        data = {k: form.cleaned_data[k] for k in ("name", "address", "shelf_capacity", "is_active")}
        refused = _through_impact(request, form, point, lambda: services.point_update(point=_fresh(point), **data),
                                  what=f"« {data['name']} » enregistré.", render_page=page)
        return refused or redirect("gestion:point", point_pk=point.pk)
    if action == "hours":
        if not hours.is_valid():
            return page(status=400)
        periods = [(f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
                   for f in hours.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.point_hours_set(point=point, periods=periods)
        except ValidationError as error:
            hours._non_form_errors = hours.error_class(error.messages)
            return page(status=400)
        messages.success(request, "Horaires du point enregistrés.")
        return redirect("gestion:point", point_pk=point.pk)
    return page()


@manager_view
@require_http_methods(["GET", "POST"])
def point_templates(request, point_pk: int):
    point = get_object_or_404(CollectionPoint, pk=point_pk)
    templates = list(SlotTemplate.objects.filter(point=point).order_by("weekday", "start"))
    template, initial = None, {"is_active": True, "capacity": 8}
    chosen = request.POST.get("template") if request.method == "POST" else request.GET.get("modifier")
    if chosen:
        template = get_object_or_404(SlotTemplate, pk=chosen if str(chosen).isdigit() else 0, point=point)
        initial = {k: getattr(template, k) for k in ("weekday", "start", "end", "capacity", "is_active")}
    form = forms.SlotTemplateForm(request.POST or None, initial=initial)

    def page(form=form, impact=None, status=200):
        return render(request, "town/point_templates.html", {
            "point": point, "templates": templates, "form": form, "impact": impact, "editing": template,
        }, status=status)

    if request.method == "POST":
        if request.POST.get("action") == "delete" and template is not None:
            form = forms.ConfirmMixin(request.POST)
            form.is_valid()
            refused = _through_impact(request, form, point, lambda: services.slot_template_delete(template=_fresh(template)),
                                      what="Modèle de créneau supprimé.", render_page=page)
            return refused or redirect("gestion:point-templates", point_pk=point.pk)
        if not form.is_valid():
            return page(status=400)
        data = {k: form.cleaned_data[k] for k in ("weekday", "start", "end", "capacity", "is_active")}
        refused = _through_impact(
            request, form, point, lambda: services.slot_template_save(point=point, template=_fresh(template), **data),
            what="Modèle de créneau enregistré.", render_page=page)
        return refused or redirect("gestion:point-templates", point_pk=point.pk)
    return page()


@manager_view
@require_http_methods(["GET", "POST"])
def point_closures(request, point_pk: int):
    point = get_object_or_404(CollectionPoint, pk=point_pk)
    form = forms.PointClosureForm(request.POST or None)

    def page(form=form, impact=None, status=200):
        closures = PointClosure.objects.filter(point=point, ends_at__gt=timezone.now()).order_by("starts_at")
        return render(request, "town/point_closures.html", {"point": point, "form": form, "impact": impact,
                                                            "closures": closures}, status=status)

    if request.method == "POST":
        if request.POST.get("action") == "delete":
            closure = get_object_or_404(PointClosure, pk=request.POST.get("closure") or 0, point=point)
            _done(request, services.change_apply(point=point, change=lambda: services.point_closure_delete(closure=closure)),
                  "Fermeture supprimée.")
            return redirect("gestion:point-closures", point_pk=point.pk)
        if not form.is_valid():
            return page(status=400)
        data = {k: form.cleaned_data[k] for k in ("starts_at", "ends_at", "reason")}
        refused = _through_impact(request, form, point, lambda: services.point_closure_add(point=point, **data),
                                  what="Fermeture ajoutée.", render_page=page)
        return refused or redirect("gestion:point-closures", point_pk=point.pk)
    return page()


@manager_view
@require_http_methods(["GET", "POST"])
def point_compartments(request, point_pk: int):
    point = get_object_or_404(CollectionPoint, pk=point_pk, kind=PointKind.LOCKER_BANK)
    form = forms.CompartmentForm(request.POST if request.POST.get("action") == "add" else None)

    def page(form=form, impact=None, status=200, toggling=None):
        return render(request, "town/point_compartments.html", {
            "point": point, "form": form, "impact": impact, "toggling": toggling,
            "compartments": LockerCompartment.objects.filter(point=point).order_by("code"),
        }, status=status)

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            if not form.is_valid():
                return page(status=400)
            try:
                compartment = services.compartment_add(point=point, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
                return page(status=400)
            messages.success(request, f"Casier {compartment.code} ajouté.")
        elif action in ("disable", "enable"):
            compartment = get_object_or_404(LockerCompartment, pk=request.POST.get("compartment") or 0, point=point)
            active = action == "enable"
            confirm = forms.ConfirmMixin(request.POST)
            confirm.is_valid()
            refused = _through_impact(
                request, confirm, point, lambda: services.compartment_set_active(compartment=_fresh(compartment), is_active=active),
                what=f"Casier {compartment.code} {'remis en service' if active else 'mis hors service'}.",
                compartments=[] if active else [compartment],
                render_page=lambda form, impact=None, status=200: page(impact=impact, status=status, toggling=compartment),
            )
            if refused:
                return refused
        return redirect("gestion:point-compartments", point_pk=point.pk)
    return page()

"""The town's newsletter: the manager writes and sends letters (``/gestion/contenu/lettres/``);
shoppers subscribe from ``/lettre/`` and unsubscribe from each letter's link, without
logging in (``/lettre/desabonnement/<jeton>/``, also RFC 8058 one-click)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.town.forms.content import NewsletterForm
from marketplace.town.models import Newsletter, NewsletterSubscription
from marketplace.town.services import newsletter as services


@manager_view
@require_http_methods(["GET", "POST"])
def newsletters(request):
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        letter = services.newsletter_save(data=form.cleaned_data, by=request.user)
        messages.success(request, f"Lettre « {letter.subject} » enregistrée : relisez-la avant de l'envoyer.")
        return redirect("gestion:newsletter", newsletter_pk=letter.pk)
    return render(request, "town/newsletters.html", {
        "form": form, "letters": Newsletter.objects.select_related("sent_by").order_by("-created_at", "-pk")[:50],
        "subscribers": NewsletterSubscription.objects.filter(unsubscribed_at__isnull=True).count(),
    }, status=400 if form.errors else 200)


@manager_view
@require_http_methods(["GET", "POST"])
def newsletter(request, newsletter_pk: int):
    letter = get_object_or_404(Newsletter, pk=newsletter_pk)
    form = NewsletterForm(request.POST or None, instance=letter) if letter.sent_at is None else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send":
                letter = services.newsletter_send(newsletter=letter, by=request.user)
                messages.success(request, f"Lettre envoyée à {letter.recipient_count} abonné(s).")
                return redirect("gestion:newsletter", newsletter_pk=letter.pk)
            if form is not None and form.is_valid():
                services.newsletter_save(data=form.cleaned_data, by=request.user, newsletter=letter)
                messages.success(request, "Lettre enregistrée.")
                return redirect("gestion:newsletter", newsletter_pk=letter.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("gestion:newsletter", newsletter_pk=letter.pk)
    return render(request, "town/newsletter.html", {
        "letter": letter, "form": form,
        "subscribers": NewsletterSubscription.objects.filter(unsubscribed_at__isnull=True).count(),
    }, status=400 if form is not None and form.errors else 200)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """A shopper's own consent: signed-in shoppers only (the address is their account's)."""
    subscription = None
    if request.user.is_authenticated and request.user.email:
        subscription = NewsletterSubscription.objects.filter(email=request.user.email.strip().lower()).first()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("customer:login"))
        try:
            if request.POST.get("action") == "unsubscribe" and subscription is not None:
                services.subscription_unsubscribe(subscription=subscription)
                messages.success(request, "Vous êtes désabonné : vous ne recevrez plus la lettre du centre-ville.")
            elif request.POST.get("consent") == "on":
                services.subscription_subscribe(user=request.user)
                messages.success(request, "Merci : vous recevrez la lettre du centre-ville.")
            else:
                messages.error(request, "Cochez la case pour accepter de recevoir la lettre.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("town:newsletter")
    return render(request, "town/public/newsletter.html", {
        "subscription": subscription, "consent_text": services.CONSENT_TEXT,
    })


@csrf_exempt  # the signed token is the authority; mail clients' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscription = services.subscription_from_token(token=token)
    if subscription is None:
        return render(request, "town/public/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        subscription = services.subscription_unsubscribe(subscription=subscription)
    return render(request, "town/public/unsubscribe.html", {"subscription": subscription, "token": token})

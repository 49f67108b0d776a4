from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils import translation


def healthz(request):
    """Liveness for load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the icon in static/."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def french_prefix_dropped(request, rest: str):
    """French is the default language and has no prefix: /fr/… is the page without it (the
    query string kept; never another site, whatever follows the prefix)."""
    target = "/" + rest.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def _failure_context() -> dict:
    return {"shop_name": settings.OSCAR_SHOP_NAME, "town_name": settings.HALLE_TOWN_NAME}


def _failure_page(template: str, status: int) -> HttpResponse:
    """A failure's page from ``halle/error_base.html``: no request context (no context
    processor, no database), in French whatever the visitor's language was set to."""
    with translation.override("fr"):
        return HttpResponse(loader.render_to_string(template, _failure_context()), status=status)


def server_error(request):
    """``handler500``: Django's renders ``500.html`` with an empty context; ours gives it the
    brand and the town (settings only)."""
    return _failure_page("500.html", 500)


def bad_request(request, exception):
    """``handler400`` (a malformed request, an unknown host)."""
    return _failure_page("400.html", 400)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the French page, never Django's technical one (which names the
    reason and, with DEBUG, the settings to change)."""
    return _failure_page("403_csrf.html", 403)

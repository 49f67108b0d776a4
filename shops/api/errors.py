"""JSON errors for every API answer, in French: ``{"detail", "code", "errors"?}``.

Whatever fails (no token, unknown URL, malformed JSON, a refused item, a bug),
the till receives JSON it can show, never an HTML page.
"""
from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with a French ``detail``, a stable ``code`` and optional per-item ``errors``."""

    def __init__(self, detail: str, *, code: str, status_code: int = 400, errors: list[dict] | None = None):
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.code = code
        self.errors = errors


MESSAGES = {
    exceptions.NotAuthenticated: ("not_authenticated", "Jeton d'API manquant : envoyez l'en-tête « Authorization: Bearer <jeton> »."),
    exceptions.ParseError: ("malformed_json", "Corps de requête illisible : envoyez un objet JSON valide."),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "Type de contenu non pris en charge : envoyez du JSON "
                                                               "(Content-Type: application/json)."),
    exceptions.NotAcceptable: ("not_acceptable", "Cette API ne répond qu'en JSON (Accept: application/json)."),
    exceptions.NotFound: ("not_found", "Ressource introuvable."),
}


def error_payload(exc: exceptions.APIException) -> tuple[dict, int, dict]:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, ApiError):
        data = {"detail": str(exc.detail), "code": exc.code}
        if exc.errors is not None:
            data["errors"] = exc.errors
        return data, exc.status_code, headers
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        headers["Retry-After"] = str(wait)
        who = getattr(exc, "client_label", "ce jeton")  # the public API limits clients, not tokens
        return {"detail": f"Trop de requêtes pour {who} : réessayez dans {wait} s.", "code": "throttled"}, 429, headers
    if isinstance(exc, exceptions.MethodNotAllowed):
        return {"detail": f"Méthode {exc.args[0] if exc.args else ''} non autorisée ici.".replace("  ", " "),
                "code": "method_not_allowed"}, 405, headers
    for cls, (code, message) in MESSAGES.items():
        if isinstance(exc, cls):
            return {"detail": message, "code": code}, exc.status_code, headers
    detail = exc.detail
    if isinstance(detail, (list, dict)):
        return {"detail": "Requête invalide.", "code": "invalid", "errors": detail}, exc.status_code, headers
    return {"detail": str(detail), "code": getattr(detail, "code", "error")}, exc.status_code, headers


def as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.APIException):
        return exc
    return None


def error_response(exc: exceptions.APIException) -> Response:
    data, status_code, headers = error_payload(exc)
    return Response(data, status=status_code, headers=headers)


def api_exception_handler(exc, context):
    """REST framework's ``EXCEPTION_HANDLER``: every error as French JSON, bugs included (500)."""
    api_exc = as_api_exception(exc)
    set_rollback()
    if api_exc is None:
        logger.exception("Erreur interne de l'API", exc_info=exc)
        return Response(
            {"detail": "Erreur interne : rien n'a été modifié. Réessayez plus tard.", "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return error_response(api_exc)


def not_found(request, *args, **kwargs):
    """Any URL under the API that matches no endpoint."""
    return JsonResponse({"detail": "Adresse inconnue dans l'API : voir le schéma OpenAPI.", "code": "not_found"}, status=404,
                        json_dumps_params={"ensure_ascii": False})

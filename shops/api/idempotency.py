"""``Idempotency-Key``: the first answer to a keyed write is stored and replayed.

The key is stored (per token) in the same transaction as the write it
answers. Two identical requests sent at once: the second one's INSERT of the
same key waits on the unique index until the first commits, then finds the
stored answer and replays it; if the first failed (rolled back), the second
runs as if it were the first. The same key with another request (method,
path or body) is refused with a 422.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from shops.api.errors import ApiError, as_api_exception, error_response
from shops.models import ApiIdempotentResponse, ApiToken

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
KEPT_FOR = dt.timedelta(hours=24)


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    """Same request, same fingerprint: the JSON body is compared parsed (spacing and key order ignored)."""
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\n", path.encode(), b"\n", canonical):
        digest.update(part)
    return digest.hexdigest()


def idempotent_call(*, request, operation) -> Response:
    """Run ``operation`` (returns a ``Response``) once per ``Idempotency-Key`` of the caller's token."""
    key = request.headers.get(HEADER)
    if key is None:
        return operation()
    if not KEY_PATTERN.match(key):
        raise ApiError(
            "En-tête Idempotency-Key invalide : 1 à 255 caractères ASCII visibles (un UUID par exemple).",
            code="bad_idempotency_key",
        )
    token: ApiToken = request.auth
    fingerprint = request_fingerprint(method=request.method, path=request.path, body=request.body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ApiIdempotentResponse.objects.create(
                    token=token, key=key, fingerprint=fingerprint, status_code=0, body={}
                )
        except IntegrityError:
            # The first request with this key has committed (the INSERT waited for it).
            return _replay(ApiIdempotentResponse.objects.get(token=token, key=key), fingerprint)
        try:
            with transaction.atomic():
                response = operation()
        except Exception as exc:  # noqa: BLE001 - API errors are answers too; anything else is re-raised
            api_exc = as_api_exception(exc)
            if api_exc is None:
                raise
            response = error_response(api_exc)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        record.status_code, record.body = response.status_code, response.data
        record.save(update_fields=["status_code", "body"])
    return response


def _replay(record: ApiIdempotentResponse, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise ApiError(
            "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une nouvelle clé pour chaque changement.",
            code="idempotency_conflict",
            status_code=422,
        )
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def idempotent_responses_purge(*, now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = ApiIdempotentResponse.objects.filter(created_at__lt=cutoff).delete()
    return deleted


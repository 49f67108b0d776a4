"""``Idempotency-Key`` on every POST, as Stripe does it (localstripe ignores the header).

* Same key, same method, path and body: the first response is replayed, with an
  ``Idempotent-Replayed: true`` header, and nothing is executed again.
* Same key, anything different: 400 ``idempotency_error``.
* Same key while the first request still runs: 409 (stripe-python retries).
* Like Stripe, a request refused before it ran (400, 401, 404, 409, 429) is not
  recorded, so it can be retried with the same key; successes, card declines
  (402) and server errors (5xx) are. Keys are scoped by API key, kept in
  localstripe's ``store`` (wiped by ``DELETE /_config/data``), never pruned.
"""
from __future__ import annotations

import hashlib

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import store
from localstripe.server import get_api_key, json_response

NOT_RECORDED = {400, 401, 404, 409, 429}
_in_flight: set[str] = set()


def _error(status: int, message: str) -> web.Response:
    return json_response({"error": {"type": "idempotency_error", "message": message}}, status=status)


@web.middleware
async def idempotency_middleware(request: web.Request, handler):
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or request.path.startswith("/_config/"):
        return await _run(request, handler)
    body = await request.read()  # cached by aiohttp: the handler reads it again
    fingerprint = hashlib.sha256(b"\n".join(
        [request.method.encode(), request.path_qs.encode(), body])).hexdigest()
    slot = f"idempotency:{get_api_key(request)}:{key}"

    saved = store.get(slot)
    if saved is not None:
        if saved["fingerprint"] != fingerprint:
            return _error(400, "Keys for idempotent requests can only be used with the same parameters "
                               f"they were first used with. Try using a key other than '{key}' if you "
                               "meant to execute a different request.")
        return web.Response(status=saved["status"], body=saved["body"], content_type=saved["content_type"],
                            headers={"Idempotent-Replayed": "true"})
    if slot in _in_flight:
        return _error(409, "There is currently another in-progress request using this Idempotent Key "
                           "(that probably means you submitted twice, and the other request is still "
                           "going through). Please retry your request later.")
    _in_flight.add(slot)
    try:
        response = await _run(request, handler)
    finally:
        _in_flight.discard(slot)
    if response.status not in NOT_RECORDED and isinstance(response, web.Response):
        store[slot] = {"fingerprint": fingerprint, "status": response.status,
                       "body": response.body, "content_type": response.content_type}
    return response


async def _run(request, handler):
    try:
        return await handler(request)
    except UserError as error:  # turned into a response here so it can be recorded
        return error.to_response()

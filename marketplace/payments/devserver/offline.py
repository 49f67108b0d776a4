"""What a browser and a test need from a local Stripe besides the API.

* ``/_config/faults`` (POST ``path``, ``count``, ``status``): the next ``count`` API
  requests whose path starts with ``path`` answer ``status`` (500, 503…) before
  anything runs, like a failure at Stripe's edge: nothing is executed or recorded
  under the idempotency key, so a retry with the same key goes through.
  ``DELETE /_config/faults`` clears them (``DELETE /_config/data`` too).
* ``/_config/3ds/<intent id>?client_secret=…&return_url=…``: the bank's 3-D Secure
  page for the offline test cards: "Confirmer" or "Refuser" authenticates the intent
  (localstripe's ``_authenticate``) and goes back to ``return_url``. Stripe.js does
  this with real keys.
"""
from __future__ import annotations

import html
from urllib.parse import urlencode, urlparse

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent

_faults: list[dict] = []


@web.middleware
async def fault_middleware(request: web.Request, handler):
    if request.path.startswith("/v1/"):
        for fault in _faults:
            if fault["count"] > 0 and request.path.startswith(fault["path"]):
                fault["count"] -= 1
                return web.json_response(
                    {"error": {"type": "api_error", "message": "Injected failure (local Stripe server)."}},
                    status=fault["status"],
                )
    return await handler(request)


async def faults_set(request: web.Request) -> web.Response:
    data = await request.post()
    try:
        fault = {"path": data.get("path", "/v1/"), "count": int(data.get("count", 1)),
                 "status": int(data.get("status", 500))}
    except ValueError:
        return web.json_response({"error": {"message": "count and status must be integers"}}, status=400)
    _faults.append(fault)
    return web.json_response(fault)


async def faults_clear(request: web.Request) -> web.Response:
    _faults.clear()
    return web.json_response({"faults": 0})


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Confirmation 3-D Secure (serveur Stripe local)</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}
button{{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem}}</style></head>
<body><h1>Votre banque</h1>
<p>Confirmez-vous le paiement de <strong>{amount}</strong> ?</p>
<p><small>Page de test du serveur Stripe local : aucune vraie banque n’est contactée.</small></p>
<form method="post">
<input type="hidden" name="client_secret" value="{secret}"><input type="hidden" name="return_url" value="{back}">
<button name="success" value="true">Confirmer</button>
<button name="success" value="false">Refuser</button>
</form></body></html>"""


def _safe_return(url: str) -> str:
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UserError(400, "return_url must be an absolute http(s) URL")
    return url


async def three_d_secure(request: web.Request) -> web.Response:
    intent = PaymentIntent._api_retrieve(request.match_info["id"])
    if request.method == "GET":
        secret, back = request.query.get("client_secret", ""), _safe_return(request.query.get("return_url", ""))
        if secret != intent.client_secret:
            raise UserError(401, "Unauthorized")
        euros = f"{intent.amount / 100:.2f}".replace(".", ",") + " €"
        return web.Response(text=PAGE.format(amount=euros, secret=html.escape(secret), back=html.escape(back)),
                            content_type="text/html")
    data = await request.post()
    back = _safe_return(data.get("return_url", ""))
    if intent.status == "requires_action":
        PaymentIntent._api_authenticate(intent.id, client_secret=data.get("client_secret"),
                                        success=data.get("success") == "true")
    separator = "&" if "?" in back else "?"
    raise web.HTTPFound(back + separator + urlencode({"payment_intent": intent.id}))


def add_routes(app: web.Application) -> None:
    app.router.add_post("/_config/faults", faults_set)
    app.router.add_delete("/_config/faults", faults_clear)
    app.router.add_route("*", "/_config/3ds/{id}", three_d_secure)

"""A local Stripe for development, the demo and the tests (never production).

localstripe (PyPI) plays Stripe's PaymentIntents, charges and refunds; this
package adds what Halle's calls need and localstripe lacks:

* ``connect``: Connect accounts, account links, transfers and transfer reversals
  (``/v1/accounts``, ``/v1/account_links``, ``/v1/transfers``…), with Stripe's
  limits on transfers from a source charge and on reversals;
* ``guards``: refunds refused above what is left of the captured amount, the
  captured amount on charges (``amount_captured``), and PaymentIntent
  parameters localstripe rejects (``transfer_group``, ``description``…) accepted
  and echoed back;
* ``idempotency``: the ``Idempotency-Key`` header honoured on every POST;
* ``offline``: a 3-D Secure page for the test cards (what Stripe.js shows with real
  keys) and injected failures (``/_config/faults``) for outage tests.

Everything lives in localstripe's ``store``, so ``DELETE /_config/data`` wipes it
all. State is kept in memory unless a ``--state-file`` is given (the demo keeps
one so its orders' PaymentIntents survive a restart).

Run: ``python -m marketplace.payments.devserver --port 8420`` (loopback only
unless ``--host`` says otherwise).
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from aiohttp import web


def build_app(state_file: str | os.PathLike | None = None) -> web.Application:
    """localstripe's aiohttp app with our routes, guards and middlewares added."""
    from localstripe.resources import store
    from localstripe.server import app

    from . import connect, guards, idempotency, offline

    if getattr(app, "_halle_extended", False):
        return app
    guards.install()
    connect.add_routes(app)
    offline.add_routes(app)
    # Outermost first: the state file is written after the idempotency record; an
    # injected failure answers before the idempotency layer records anything.
    _configure_persistence(app, store, Path(state_file) if state_file else None)
    app.middlewares.append(offline.fault_middleware)
    app.middlewares.append(idempotency.idempotency_middleware)
    app._halle_extended = True
    return app


def _configure_persistence(app: web.Application, store, path: Path | None) -> None:
    """Replace localstripe's fixed /tmp/localstripe.pickle (shared by every run on
    the machine, rewritten on each change) by one optional file, written once per
    request that changes something."""
    store.dump_to_disk = lambda: None
    store.try_load_from_disk = lambda: None
    if path is None:
        return
    if path.exists():
        with path.open("rb") as f:
            store.update(pickle.load(f))

    @web.middleware
    async def persist(request, handler):
        try:
            return await handler(request)
        finally:
            if request.method in ("POST", "DELETE", "PUT"):
                path.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as f:
                    pickle.dump(dict(store), f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(f.name, path)

    app.middlewares.append(persist)

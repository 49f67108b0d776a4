"""Stripe Connect for the local server: accounts, account links, transfers, reversals.

Just enough for separate charges and transfers: shops' Express accounts, their
onboarding link, transfers tied to a captured charge (``source_transaction``)
and grouped by order (``transfer_group``), and reversals. Enforced like Stripe:
a transfer cannot take more from its source charge than was captured minus
the transfers already made from it; a reversal cannot exceed what is left of
the transfer. Not modelled: balances and availability, fees, payouts, the
``Stripe-Account`` header, capabilities' review.

Onboarding: the account link's URL (``/_config/connect/onboard/<id>``) marks
the account as fully onboarded and redirects to ``return_url``.
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import List, StripeObject, store, try_convert_to_int
from localstripe.server import api_create, api_extra, api_list_all, api_retrieve, get_post_data, json_response

from .guards import captured_amount, stripe_error


def _unexpected(kwargs: dict) -> None:
    if kwargs:
        raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))


def _positive_amount(amount) -> int:
    amount = try_convert_to_int(amount)
    if type(amount) is not int or amount <= 0:
        raise stripe_error(400, "Invalid positive integer", code="parameter_invalid_integer", param="amount")
    return amount


def _missing(kind: str, id_: str, param: str) -> UserError:
    return stripe_error(400, f"No such {kind}: '{id_}'", code="resource_missing", param=param)


class Account(StripeObject):
    object = "account"
    _id_prefix = "acct_"

    def __init__(self, type=None, country=None, email=None, capabilities=None, business_type=None,
                 business_profile=None, metadata=None, **kwargs):
        _unexpected(kwargs)
        if type not in ("express", "standard", "custom"):
            raise stripe_error(400, "Invalid type: must be one of express, standard, custom",
                               code="parameter_invalid_empty", param="type")
        super().__init__()
        self.type = type
        self.country = country or "FR"
        self.email = email
        self.default_currency = "eur"
        self.business_type = business_type
        self.business_profile = business_profile or {}
        self.capabilities = {name: "inactive" for name in (capabilities or {})}
        self.metadata = metadata or {}
        self.charges_enabled = False
        self.payouts_enabled = False
        self.details_submitted = False

    def _onboard(self):
        self.charges_enabled = self.payouts_enabled = self.details_submitted = True
        self.capabilities = {name: "active" for name in self.capabilities}


class Transfer(StripeObject):
    object = "transfer"
    _id_prefix = "tr_"

    def __init__(self, amount=None, currency=None, destination=None, transfer_group=None,
                 source_transaction=None, description=None, metadata=None, **kwargs):
        _unexpected(kwargs)
        amount = _positive_amount(amount)
        if not isinstance(currency, str) or not currency:
            raise stripe_error(400, "Missing required param: currency.", code="parameter_missing", param="currency")
        if not isinstance(destination, str) or store.get("account:" + destination) is None:
            raise _missing("destination", destination, "destination")
        if source_transaction is not None:
            charge = store.get("charge:" + str(source_transaction))
            if charge is None:
                raise _missing("charge", source_transaction, "source_transaction")
            if charge.currency != currency:
                raise stripe_error(400, "The currency of source_transaction's balance transaction "
                                   "must be the same as the transfer currency.",
                                   code="parameter_invalid", param="currency")
            available = captured_amount(charge) - sum(
                t.amount for t in Transfer._all() if t.source_transaction == charge.id)
            if amount > available:
                raise stripe_error(
                    400,
                    f"Insufficient funds: the transfer amount ({amount}) exceeds what is left "
                    f"of source_transaction {charge.id} ({available}).",
                    code="balance_insufficient", param="amount")
        super().__init__()
        self.amount = amount
        self.currency = currency
        self.destination = destination
        self.transfer_group = transfer_group
        self.source_transaction = source_transaction
        self.description = description
        self.metadata = metadata or {}
        self._reversal_ids = []

    @classmethod
    def _all(cls):
        return [value for key, value in store.items() if key.startswith("transfer:")]

    @property
    def amount_reversed(self):
        return sum(store["transfer_reversal:" + id_].amount for id_ in self._reversal_ids)

    @property
    def reversed(self):
        return self.amount_reversed >= self.amount

    @property
    def reversals(self):
        li = List(f"/v1/transfers/{self.id}/reversals")
        li._list = [store["transfer_reversal:" + id_] for id_ in self._reversal_ids]
        return li

    @classmethod
    def _api_list_all(cls, url, transfer_group=None, destination=None, limit=None, starting_after=None,
                      **kwargs):
        _unexpected(kwargs)
        li = super()._api_list_all(url, limit=limit, starting_after=starting_after)
        li._list = [t for t in li._list
                    if (transfer_group is None or t.transfer_group == transfer_group)
                    and (destination is None or t.destination == destination)]
        li._list.sort(key=lambda t: t.created, reverse=True)
        return li

    @classmethod
    def _api_create_reversal(cls, id, amount=None, metadata=None, description=None, **kwargs):
        _unexpected(kwargs)
        transfer = cls._api_retrieve(id)
        remaining = transfer.amount - transfer.amount_reversed
        amount = remaining if amount is None else _positive_amount(amount)
        if remaining <= 0:
            raise stripe_error(400, f"Transfer {id} has already been fully reversed.",
                               code="transfer_already_reversed")
        if amount > remaining:
            raise stripe_error(
                400, f"Reversal amount ({amount}) is greater than the amount left on transfer {id} ({remaining}).",
                code="amount_too_large", param="amount")
        reversal = TransferReversal(transfer=transfer.id, amount=amount, currency=transfer.currency,
                                    metadata=metadata)
        transfer._reversal_ids.append(reversal.id)
        return reversal


class TransferReversal(StripeObject):
    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(self, transfer, amount, currency, metadata=None):
        super().__init__()
        self.transfer = transfer
        self.amount = amount
        self.currency = currency
        self.metadata = metadata or {}


async def create_account_link(request: web.Request) -> web.Response:
    data = await get_post_data(request) or {}
    account_id = data.get("account")
    if not account_id or store.get("account:" + account_id) is None:
        raise _missing("account", account_id, "account")
    for param in ("refresh_url", "return_url"):
        if not data.get(param):
            raise stripe_error(400, f"Missing required param: {param}.", code="parameter_missing", param=param)
    now = int(time.time())
    query = urlencode({"return_url": data["return_url"]})
    return json_response({
        "object": "account_link",
        "created": now,
        "expires_at": now + 300,
        "url": f"{request.scheme}://{request.host}/_config/connect/onboard/{account_id}?{query}",
    })


async def onboard(request: web.Request) -> web.Response:
    account = Account._api_retrieve(request.match_info["id"])
    account._onboard()
    raise web.HTTPFound(request.query.get("return_url") or "/")


def add_routes(app: web.Application) -> None:
    # Before the generic /v1/transfers/{id} routes, as localstripe does for its extras.
    app.router.add_post("/v1/transfers/{id}/reversals",
                        api_extra(Transfer._api_create_reversal, "/v1/transfers/{id}/reversals"))
    app.router.add_post("/v1/account_links", create_account_link)
    app.router.add_get("/_config/connect/onboard/{id}", onboard)
    for cls in (Account, Transfer):
        url = "/v1/" + cls.object + "s"
        app.router.add_post(url, api_create(cls, url))
        app.router.add_get(url, api_list_all(cls, url))
        app.router.add_get(url + "/{id}", api_retrieve(cls, url + "/{id}"))

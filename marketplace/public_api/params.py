"""The query parameters of the public API, checked before anything is read.

A program calling the API wants to know what it did wrong, in one answer: every bad
parameter is refused with a French 400 that names it (unknown parameters too: a typo in
a filter would otherwise silently list everything). Free text is limited in length,
without control characters, and without the query syntax of the search engines behind
it (FTS5, tsquery): the search reads words, and saying so beats guessing what ``*`` meant.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from shops.api.errors import ApiError

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_ID = 2_147_483_647
MAX_PRICE = Decimal("99999999.99")
# FTS5 (" * : ^ ( ) { }) and tsquery (& | ! < > :*) syntax, and the backslash.
SYNTAX = re.compile(r'["*:^(){}&|!<>\\]')
PAGING = ("page", "page_size")
TRUE, FALSE = ("1", "true", "oui"), ("0", "false", "non")


@dataclass
class Checked:
    values: dict
    errors: list[dict]

    def error(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})


def _one(params, name: str, checked: Checked) -> str | None:
    values = params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        checked.error(name, f"Paramètre « {name} » donné {len(values)} fois : donnez-le une seule fois.")
        return None
    return values[0]


def _int(raw: str, name: str, checked: Checked, *, low: int, high: int) -> int | None:
    if not re.fullmatch(r"[0-9]{1,12}", raw.strip()):
        checked.error(name, f"« {name} » doit être un nombre entier entre {low} et {high}.")
        return None
    value = int(raw)
    if not low <= value <= high:
        checked.error(name, f"« {name} » doit être compris entre {low} et {high} (reçu : {value}).")
        return None
    return value


def _has_control(value: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in value)


def query_check(raw: str, name: str, checked: Checked) -> str | None:
    value = " ".join(raw.split())
    if not value:
        checked.error(name, f"« {name} » est vide : donnez au moins un mot.")
    elif len(raw) > MAX_QUERY_LENGTH:
        checked.error(name, f"« {name} » est limité à {MAX_QUERY_LENGTH} caractères (reçu : {len(raw)}).")
    elif _has_control(raw.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
        checked.error(name, f"« {name} » contient des caractères de contrôle : envoyez du texte.")
    elif SYNTAX.search(value):
        found = " ".join(sorted(set(SYNTAX.findall(value))))
        checked.error(name, f"« {name} » contient des caractères de syntaxe de recherche ({found}) : "
                            "envoyez seulement des mots, la recherche les trouve sans opérateurs.")
    else:
        return value
    return None


def _slug(raw: str, name: str, checked: Checked) -> str | None:
    if len(raw) > 140 or slugify(raw) != raw or not raw:
        checked.error(name, f"« {name} » doit être un identifiant (lettres minuscules, chiffres, tirets).")
        return None
    return raw


def _bool(raw: str, name: str, checked: Checked) -> bool | None:
    lowered = raw.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    checked.error(name, f"« {name} » vaut 1 ou 0 (true/false, oui/non).")
    return None


def _price(raw: str, name: str, checked: Checked) -> Decimal | None:
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value > MAX_PRICE or value.as_tuple().exponent < -2:
        checked.error(name, f"« {name} » doit être un prix en euros, positif, avec au plus deux décimales (ex. 12.50).")
        return None
    return value


KINDS = {"int": _int, "slug": _slug, "bool": _bool, "price": _price, "query": query_check}


def params_check(params, *, accepted: dict[str, str | tuple[str, list[str]]], required: tuple[str, ...] = ()) -> dict:
    """``params`` (a QueryDict) as ``{name: value}`` for the ``accepted`` names (their kind:
    "int", "slug", "bool", "price", "query", or ("choice", [values])), paging included;
    ``ApiError`` 400 listing every problem otherwise."""
    checked = Checked(values={}, errors=[])
    allowed = {**accepted, "page": "page", "page_size": "page_size"}
    for name in params:
        if name not in allowed:
            shown = name[:40].encode("unicode_escape").decode()
            checked.error(shown, f"Paramètre inconnu : « {shown} ». Paramètres acceptés : {', '.join(allowed)}.")
    for name, kind in allowed.items():
        raw = _one(params, name, checked)
        if raw is None:
            continue
        if name == "page":
            value = _int(raw, name, checked, low=1, high=MAX_PAGE)
        elif name == "page_size":
            value = _int(raw, name, checked, low=1, high=MAX_PAGE_SIZE)
        elif kind == "int":
            value = _int(raw, name, checked, low=1, high=MAX_ID)
        elif isinstance(kind, tuple):
            value = raw if raw in kind[1] else None
            if value is None:
                checked.error(name, f"« {name} » vaut l'une de ces valeurs : {', '.join(kind[1])}.")
        else:
            value = KINDS[kind](raw, name, checked)
        if value is not None:
            checked.values[name] = value
    for name in required:
        if name not in checked.values and not any(e["field"] == name for e in checked.errors):
            checked.error(name, f"Paramètre « {name} » obligatoire.")
    low, high = checked.values.get("price_min"), checked.values.get("price_max")
    if low is not None and high is not None and low > high:
        checked.error("price_min", "« price_min » doit être inférieur ou égal à « price_max ».")
    if checked.errors:
        count = len(checked.errors)
        raise ApiError(f"Paramètres refusés ({count}) : corrigez la requête.", code="invalid_parameters",
                       errors=checked.errors)
    checked.values.setdefault("page", 1)
    checked.values.setdefault("page_size", DEFAULT_PAGE_SIZE)
    return checked.values

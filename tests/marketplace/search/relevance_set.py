"""The search relevance set: French queries on the demo town, what must come first, precision at 5.

The town is the one ``make run`` builds (``seed_town --shops 12 --products 400
--seed 1``; shops and products come from ``marketplace/demo/vocabulary.py``).
Each case says which results are relevant, as conditions on a result rather
than a list of ids (the same town on PostgreSQL and SQLite has other ids):

- a product is relevant when it meets every condition of one ``Want``: its
  accent-folded title contains each of ``title``, it is in ``category`` (or one
  of its sub-categories), it is sold by a shop of ``trade`` / by ``shop``;
- a shop shown above the products is relevant when it meets the ``trade`` and
  ``shop`` conditions of a ``Want`` that has one (« croissants muller » is
  well answered by Maison Muller, « soulier » by a shoe shop); ``shops_only``
  when that shop's other products are not (« vin blanc » and a wine shop).

The first five results are the shops shown above the products, then the
products, as a shopper reads the page. Precision at 5 is the share of them
that is relevant, out of five or out of the number of relevant results the
town has when it has fewer (a query with one right answer scores 1 when that
answer is there). A case "finds" when at least one relevant result is in the
first five, and, for ``shop_first``, when that shop is one of them.

``evaluate`` takes a function that fetches the search page, so that the same
code scores the in-process test client (PostgreSQL) and the SQLite demo
(``relevance_run``), on today's code or an older one.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from marketplace.search.text import text_fold

TOWN = {"shops": 12, "products": 400, "seed": 1}
TOP = 5


@dataclass(frozen=True)
class Want:
    title: tuple[str, ...] = ()
    category: str | None = None
    trade: str | None = None
    shop: str | None = None  # the shop's slug without its "-<seed>-<index>" tail
    shops_only: bool = False  # the shop shown is relevant, not each of its products

    @property
    def about_shops(self) -> bool:
        return bool(self.trade or self.shop)


@dataclass(frozen=True)
class Case:
    query: str
    kind: str
    wants: tuple[Want, ...]
    shop_first: str | None = None


def _c(query: str, kind: str, *wants: Want, shop_first: str | None = None) -> Case:
    return Case(query, kind, wants, shop_first)


W = Want
CASES: tuple[Case, ...] = (
    # Trades: the shops of that trade and what they sell.
    _c("boulangerie", "métier", W(trade="boulangerie")),
    _c("fromagerie", "métier", W(trade="fromagerie")),
    _c("librairie", "métier", W(trade="librairie")),
    _c("fleuriste", "métier", W(trade="fleuriste")),
    _c("caviste", "métier", W(trade="caviste")),
    _c("boucherie", "métier", W(trade="boucherie")),
    _c("quincaillerie", "métier", W(trade="quincaillerie")),
    _c("primeur", "métier", W(trade="primeur")),
    _c("épicerie fine", "métier", W(trade="epicerie")),
    _c("boulanger", "métier", W(trade="boulangerie")),
    # Categories, their ancestors included.
    _c("viennoiseries", "rayon", W(category="pains-viennoiseries")),
    _c("pâtisseries", "rayon", W(category="patisseries"), W(trade="boulangerie")),
    _c("fromages", "rayon", W(category="fromages-cremerie"), W(trade="fromagerie")),
    _c("fruits et légumes", "rayon", W(category="fruits-legumes")),
    _c("vins", "rayon", W(category="vins"), W(shop="vins-et-terroirs")),
    _c("spiritueux", "rayon", W(category="spiritueux")),
    _c("outillage", "rayon", W(category="outillage")),
    _c("papeterie", "rayon", W(category="papeterie")),
    _c("charcuterie", "rayon", W(category="boucherie-charcuterie"), W(trade="boucherie")),
    _c("mode", "rayon parent", W(category="mode")),
    _c("boissons", "rayon parent", W(category="boissons")),
    _c("maison et jardin", "rayon parent", W(category="maison-jardin")),
    # Plurals and singulars.
    _c("croissant", "pluriel", W(title=("croissant",))),
    _c("tomate", "pluriel", W(title=("tomate",))),
    _c("bouquets", "pluriel", W(title=("bouquet",))),
    _c("bottine", "pluriel", W(title=("bottine",))),
    _c("poireau", "pluriel", W(title=("poireau",))),
    # Accents (missing, or capitals).
    _c("creme fraiche", "accents", W(title=("creme fraiche",))),
    _c("eclair", "accents", W(title=("eclair",))),
    _c("entrecote", "accents", W(title=("entrecote",))),
    _c("clementines", "accents", W(title=("clementine",))),
    _c("secateur", "accents", W(title=("secateur",))),
    _c("PÂTÉ DE CAMPAGNE", "accents", W(title=("pate de campagne",))),
    # Typos.
    _c("baguete", "faute", W(title=("baguette",))),
    _c("chocolta", "faute", W(title=("chocolat",))),
    _c("camenbert", "faute", W(title=("camembert",))),
    _c("croisant", "faute", W(title=("croissant",))),
    _c("saucison", "faute", W(title=("saucisson",))),
    _c("sandalles", "faute", W(title=("sandale",))),
    # Synonyms from the town's list.
    _c("soulier", "synonyme", W(category="chaussures"), W(trade="chaussures")),
    _c("bouquin", "synonyme", W(category="livres"), W(trade="librairie")),
    _c("godasses", "synonyme", W(category="chaussures"), W(trade="chaussures")),
    _c("pinard", "synonyme", W(category="vins"), W(trade="caviste")),
    _c("chocolatine", "synonyme", W(title=("pains au chocolat",))),
    _c("outils", "synonyme", W(category="outillage")),
    # A shop by its name.
    _c("Maison Muller", "commerce", W(shop="maison-muller"), shop_first="maison-muller"),
    _c("le marque-page", "commerce", W(shop="le-marque-page"), shop_first="le-marque-page"),
    _c("vins et terroirs", "commerce", W(shop="vins-et-terroirs"), shop_first="vins-et-terroirs"),
    _c("droguerie", "commerce", W(shop="droguerie-du-marche"), shop_first="droguerie-du-marche"),
    _c("fromages de Louise", "commerce", W(shop="les-fromages-de-louise"), shop_first="les-fromages-de-louise"),
    # More of each, written after the first measures (harder on purpose).
    _c("livres", "rayon", W(category="livres"), W(trade="librairie")),
    _c("fleurs", "rayon", W(category="fleurs-plantes"), W(trade="fleuriste")),
    _c("crèmerie", "rayon", W(category="fromages-cremerie"), W(trade="fromagerie")),
    _c("pommes de terre", "pluriel", W(title=("pommes de terre",))),
    _c("roses", "pluriel", W(title=("roses",))),
    _c("thé", "accents", W(title=("the noir",))),
    _c("fromgae", "faute", W(category="fromages-cremerie"), W(trade="fromagerie")),
    _c("chausures", "faute", W(category="chaussures"), W(trade="chaussures")),
    _c("bouqet", "faute", W(title=("bouquet",))),
    _c("tomatte", "faute", W(title=("tomate",))),
    _c("patate", "synonyme", W(title=("pommes de terre",))),
    _c("rando", "synonyme", W(title=("randonnee",))),
    _c("BD", "synonyme", W(title=("bande dessinee",))),
    _c("polar", "synonyme", W(title=("roman policier",))),
    _c("cadeau", "synonyme", W(title=("coffret",))),
    _c("richard", "commerce", W(shop="comptoir-richard"), shop_first="comptoir-richard"),
    _c("beffroi", "commerce", W(shop="boucherie-du-beffroi"), shop_first="boucherie-du-beffroi"),
    _c("joyeuse", "commerce", W(shop="le-pied-joyeuse"), shop_first="le-pied-joyeuse"),
    _c("fromage de chèvre", "produit et rayon", W(title=("chevre",)), W(trade="fromagerie", shops_only=True)),
    _c("vin blanc", "produit et rayon", W(title=("blanc",), category="vins"),
       W(trade="caviste", shops_only=True)),
    _c("chaussures femme", "produit et rayon", W(title=("femme",), category="chaussures"),
       W(trade="chaussures", shops_only=True)),
    _c("légumes bio", "produit et rayon", W(title=("bio",), category="fruits-legumes")),
    _c("tarte fraises", "produit et rayon", W(title=("tarte aux fraises",))),
    _c("pain gourmet", "produit et commerce", W(title=("pain",), shop="la-mie-gourmet")),
    _c("miel richard", "produit et commerce", W(title=("miel",), shop="comptoir-richard")),
    # Attribute values (marketplace/demo/attributes.py).
    _c("vin de loire", "attribut", W(title=("sancerre",))),
    _c("fromage de brebis", "attribut", W(title=("roquefort",)), W(trade="fromagerie", shops_only=True)),
    _c("daim", "attribut", W(title=("bottine",)), W(title=("mocassin",))),
    # Two words: a product and a shop (or a trade, a category, a quality).
    _c("croissants muller", "produit et commerce", W(title=("croissant",), shop="maison-muller")),
    _c("comté louise", "produit et commerce", W(title=("comte",), shop="les-fromages-de-louise")),
    _c("bouquet atelier floral", "produit et commerce", W(title=("bouquet",), shop="latelier-floral")),
    _c("champagne terroirs", "produit et commerce", W(title=("champagne",), shop="vins-et-terroirs")),
    _c("baguette boulangerie", "produit et métier", W(title=("baguette",), trade="boulangerie")),
    _c("livre randonnée", "produit et rayon", W(title=("randonnee",), category="livres")),
    _c("vin rouge", "produit et rayon", W(title=("rouge",), category="vins"),
       W(trade="caviste", shops_only=True)),
    _c("fromage lait cru", "produit et rayon", W(title=("lait cru",), category="fromages-cremerie"),
       W(trade="fromagerie", shops_only=True)),
)


@dataclass
class Item:
    """One result as the evaluation sees it."""

    kind: str  # "shop" or "product"
    label: str
    title: str = ""
    categories: frozenset[str] = frozenset()
    shops: frozenset[str] = frozenset()
    trades: frozenset[str] = frozenset()


@dataclass
class Outcome:
    query: str
    kind: str
    top: list[str]
    relevant_in_top: int
    relevant_total: int
    precision: float
    found: bool


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def precision_at_5(self) -> float:
        return sum(o.precision for o in self.outcomes) / len(self.outcomes)

    @property
    def found_share(self) -> float:
        return sum(o.found for o in self.outcomes) / len(self.outcomes)

    def missed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.found]

    def as_json(self) -> str:
        return json.dumps([asdict(o) for o in self.outcomes], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Report:
        return cls([Outcome(**row) for row in json.loads(text)])

    def table(self, label: str) -> str:
        lines = [(
            f"Pertinence ({label}) : précision à 5 = {self.precision_at_5:.3f}, "
            f"trouvées dans les 5 premiers = {self.found_share:.0%} de {len(self.outcomes)} requêtes"
        )]
        by_kind: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_kind.setdefault(o.kind, []).append(o)
        for kind, rows in by_kind.items():
            lines.append(f"  {kind:<20} P@5 = {sum(o.precision for o in rows) / len(rows):.2f}")
        for o in self.outcomes:
            mark = "ok " if o.found else "RATÉ"
            lines.append(f"  {mark} {o.precision:.2f} « {o.query} » → {o.top}")
        return "\n".join(lines)


def _base_slug(slug: str) -> str:
    """"maison-muller-1-006" -> "maison-muller" (demo shop slugs end with seed and index)."""
    parts = slug.rsplit("-", 2)
    return parts[0] if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit() else slug


def _relevant(item: Item, want: Want) -> bool:
    if item.kind == "shop" and not want.about_shops:
        return False
    if item.kind == "product" and want.shops_only:
        return False
    if want.trade and want.trade not in item.trades:
        return False
    if want.shop and want.shop not in item.shops:
        return False
    if item.kind == "shop":
        return True
    if want.category and want.category not in item.categories:
        return False
    return all(text_fold(part) in text_fold(item.title) for part in want.title)


def _product_items(products) -> list[Item]:
    from marketplace.catalogue.models import Category

    paths = dict(Category.objects.values_list("path", "slug"))
    items = []
    for product in products:
        categories = set()
        for category in product.categories.all():
            # The category and its ancestors (treebeard paths: four characters a level).
            for end in range(4, len(category.path) + 1, 4):
                categories.add(paths[category.path[:end]])
        offers = [sr.partner.shop for sr in product.stockrecords.all()]
        items.append(Item(
            kind="product",
            label=product.title,
            title=product.title,
            categories=frozenset(categories),
            shops=frozenset(_base_slug(shop.slug) for shop in offers),
            trades=frozenset(shop.trade for shop in offers),
        ))
    return items


def _shop_items(shops) -> list[Item]:
    return [
        Item(kind="shop", label=f"[{shop.name}]", shops=frozenset({_base_slug(shop.slug)}),
             trades=frozenset({shop.trade}))
        for shop in shops
    ]


def catalogue_items() -> list[Item]:
    """Every product on sale and every shop, to count how many relevant results exist."""
    from marketplace.catalogue.models import Product
    from shops.models import Shop

    products = Product.objects.filter(stockrecords__isnull=False).distinct().prefetch_related(
        "categories", "stockrecords__partner__shop")
    return _product_items(products) + _shop_items(Shop.objects.all())


def page_items(context) -> list[Item]:
    """The first results of a search page: the shops shown above, then the products."""
    from marketplace.catalogue.models import Product

    shops = list(context.get("shops_found") or [])
    ids = [p.pk for p in context["products"]][:TOP]
    products = {p.pk: p for p in Product.objects.filter(pk__in=ids).prefetch_related(
        "categories", "stockrecords__partner__shop")}
    return (_shop_items(shops) + _product_items([products[pk] for pk in ids]))[:TOP]


def evaluate(search_page) -> Report:
    """Score every case; ``search_page(query)`` returns the search page's template context."""
    everything = catalogue_items()
    report = Report()
    for case in CASES:
        top = page_items(search_page(case.query))
        relevant = [i for i in top if any(_relevant(i, w) for w in case.wants)]
        total = sum(1 for i in everything if any(_relevant(i, w) for w in case.wants))
        found = bool(relevant)
        if case.shop_first:
            found = found and any(i.kind == "shop" and case.shop_first in i.shops for i in top)
        report.outcomes.append(Outcome(
            query=case.query,
            kind=case.kind,
            top=[i.label for i in top],
            relevant_in_top=len(relevant),
            relevant_total=total,
            precision=len(relevant) / max(1, min(TOP, total)),
            found=found,
        ))
    return report

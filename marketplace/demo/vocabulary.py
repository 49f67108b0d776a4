"""French words the demo town is made of: categories, trades, products, streets.

Each trade lists the sub-categories it sells in and product templates:
(base title, sub-category slug, base price in euros). Titles are combined with
qualifiers so that a large town still has varied, realistic names.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Product classes and their French VAT rate (percent).
PRODUCT_CLASSES = {
    "alimentaire": ("Alimentaire", "5.50"),
    "boissons-alcoolisees": ("Boissons alcoolisées", "20.00"),
    "livres": ("Livres", "5.50"),
    "fleurs-plantes": ("Fleurs et plantes", "10.00"),
    "non-alimentaire": ("Articles non alimentaires", "20.00"),
}

# Two-level category tree: (top name, top slug, [(sub name, sub slug), ...]).
CATEGORIES = [
    ("Alimentation", "alimentation", [
        ("Pains et viennoiseries", "pains-viennoiseries"),
        ("Pâtisseries", "patisseries"),
        ("Fromages et crèmerie", "fromages-cremerie"),
        ("Boucherie et charcuterie", "boucherie-charcuterie"),
        ("Fruits et légumes", "fruits-legumes"),
        ("Épicerie fine", "epicerie-fine"),
        ("Chocolats et confiseries", "chocolats-confiseries"),
    ]),
    ("Boissons", "boissons", [
        ("Vins", "vins"),
        ("Bières et cidres", "bieres-cidres"),
        ("Spiritueux", "spiritueux"),
    ]),
    ("Mode", "mode", [
        ("Chaussures", "chaussures"),
        ("Vêtements", "vetements"),
        ("Accessoires", "accessoires"),
    ]),
    ("Maison et jardin", "maison-jardin", [
        ("Quincaillerie", "quincaillerie"),
        ("Outillage", "outillage"),
        ("Fleurs et plantes", "fleurs-plantes"),
    ]),
    ("Culture et loisirs", "culture-loisirs", [
        ("Livres", "livres"),
        ("Jeux et jouets", "jeux-jouets"),
        ("Papeterie", "papeterie"),
    ]),
    ("Beauté et sport", "beaute-sport", [
        ("Parfums", "parfums"),
        ("Soins et cosmétiques", "soins-cosmetiques"),
        ("Sport et randonnée", "sport-randonnee"),
    ]),
]


@dataclass(frozen=True)
class TradeSpec:
    trade: str
    shop_names: tuple[str, ...]
    product_class: str
    products: tuple[tuple[str, str, float], ...]
    qualifiers: tuple[str, ...]
    hours: str = "shop"  # "bakery", "shop" or "market"
    class_overrides: dict = field(default_factory=dict)


TRADES: tuple[TradeSpec, ...] = (
    TradeSpec(
        "boulangerie",
        ("Boulangerie {surname}", "Au Fournil de {first}", "La Mie {adjective}", "Maison {surname}"),
        "alimentaire",
        (
            ("Baguette tradition", "pains-viennoiseries", 1.30),
            ("Pain de campagne", "pains-viennoiseries", 3.20),
            ("Pain au levain", "pains-viennoiseries", 3.80),
            ("Pain complet", "pains-viennoiseries", 2.90),
            ("Pains au chocolat", "pains-viennoiseries", 1.20),
            ("Croissants au beurre", "pains-viennoiseries", 1.10),
            ("Chausson aux pommes", "pains-viennoiseries", 1.60),
            ("Brioche tressée", "pains-viennoiseries", 4.50),
            ("Fougasse aux olives", "pains-viennoiseries", 3.40),
            ("Éclair au chocolat", "patisseries", 2.80),
            ("Tarte aux fraises", "patisseries", 18.00),
            ("Flan pâtissier", "patisseries", 2.60),
            ("Paris-Brest", "patisseries", 4.20),
            ("Galette des rois frangipane", "patisseries", 22.00),
        ),
        ("", "bio", "aux céréales", "à l'ancienne", "maison", "lot de 4", "format familial", "sans sucre ajouté"),
        hours="bakery",
    ),
    TradeSpec(
        "fromagerie",
        ("Fromagerie {surname}", "La Cave à Fromages", "Crèmerie du {place}", "Les Fromages de {first}"),
        "alimentaire",
        (
            ("Comté 18 mois", "fromages-cremerie", 6.90),
            ("Camembert de Normandie AOP", "fromages-cremerie", 4.80),
            ("Crème fraîche épaisse", "fromages-cremerie", 3.10),
            ("Beurre demi-sel de baratte", "fromages-cremerie", 3.90),
            ("Tomme de Savoie", "fromages-cremerie", 5.60),
            ("Chèvre frais aux herbes", "fromages-cremerie", 3.40),
            ("Roquefort AOP", "fromages-cremerie", 5.20),
            ("Yaourt fermier à la vanille", "fromages-cremerie", 1.10),
            ("Saint-Nectaire fermier", "fromages-cremerie", 7.40),
            ("Brie de Meaux", "fromages-cremerie", 5.90),
        ),
        ("", "bio", "fermier", "au lait cru", "250 g", "500 g", "affiné", "à la coupe"),
    ),
    TradeSpec(
        "boucherie",
        ("Boucherie {surname}", "Boucherie du {place}", "Maison {surname} Charcutier"),
        "alimentaire",
        (
            ("Entrecôte de bœuf", "boucherie-charcuterie", 32.00),
            ("Poulet fermier Label Rouge", "boucherie-charcuterie", 14.50),
            ("Saucisson sec", "boucherie-charcuterie", 6.80),
            ("Jambon blanc à l'os", "boucherie-charcuterie", 4.90),
            ("Pâté de campagne", "boucherie-charcuterie", 3.60),
            ("Côtes d'agneau", "boucherie-charcuterie", 24.00),
            ("Rôti de porc", "boucherie-charcuterie", 13.00),
            ("Terrine de canard", "boucherie-charcuterie", 5.40),
        ),
        ("", "fermier", "Label Rouge", "maison", "la barquette", "200 g", "1 kg", "tranché"),
    ),
    TradeSpec(
        "primeur",
        ("Primeur {surname}", "Les Jardins de {first}", "Au Panier {adjective}"),
        "alimentaire",
        (
            ("Pommes Golden", "fruits-legumes", 2.90),
            ("Tomates anciennes", "fruits-legumes", 4.50),
            ("Carottes des sables", "fruits-legumes", 1.80),
            ("Poireaux", "fruits-legumes", 2.40),
            ("Fraises de Plougastel", "fruits-legumes", 5.90),
            ("Pommes de terre grenaille", "fruits-legumes", 2.20),
            ("Salade batavia", "fruits-legumes", 1.20),
            ("Clémentines de Corse", "fruits-legumes", 3.90),
        ),
        ("", "bio", "de saison", "du producteur", "le kilo", "la barquette", "en vrac", "local"),
        hours="market",
    ),
    TradeSpec(
        "epicerie",
        ("Épicerie {adjective}", "Comptoir {surname}", "L'Épicerie du {place}"),
        "alimentaire",
        (
            ("Huile d'olive vierge extra", "epicerie-fine", 12.50),
            ("Miel de lavande", "epicerie-fine", 8.90),
            ("Confiture d'abricots", "epicerie-fine", 5.20),
            ("Moutarde à l'ancienne", "epicerie-fine", 3.80),
            ("Lentilles vertes du Puy", "epicerie-fine", 4.10),
            ("Thé noir fumé", "epicerie-fine", 9.50),
            ("Café en grains torréfié", "epicerie-fine", 11.90),
            ("Sel de Guérande", "epicerie-fine", 3.50),
        ),
        ("", "bio", "artisanal", "pot de 250 g", "bocal", "édition limitée", "en vrac", "coffret"),
    ),
    TradeSpec(
        "chocolatier",
        ("Chocolaterie {surname}", "Les Délices de {first}", "Maison du Cacao"),
        "alimentaire",
        (
            ("Tablette chocolat noir 70 %", "chocolats-confiseries", 5.50),
            ("Pralinés assortis", "chocolats-confiseries", 19.00),
            ("Calissons", "chocolats-confiseries", 14.00),
            ("Pâtes de fruits", "chocolats-confiseries", 12.00),
            ("Truffes au cacao", "chocolats-confiseries", 16.50),
            ("Guimauves maison", "chocolats-confiseries", 7.00),
        ),
        ("", "ballotin", "coffret", "100 g", "250 g", "sans gluten", "de Noël", "assortiment"),
    ),
    TradeSpec(
        "caviste",
        ("Cave {surname}", "Le Cellier du {place}", "Vins et Terroirs"),
        "boissons-alcoolisees",
        (
            ("Sancerre blanc", "vins", 18.50),
            ("Bordeaux supérieur rouge", "vins", 12.90),
            ("Champagne brut", "vins", 34.00),
            ("Côtes-du-Rhône rouge", "vins", 9.80),
            ("Cidre brut fermier", "bieres-cidres", 4.50),
            ("Bière blonde artisanale", "bieres-cidres", 3.20),
            ("Calvados hors d'âge", "spiritueux", 42.00),
            ("Cognac VSOP", "spiritueux", 48.00),
        ),
        ("", "bio", "2019", "2021", "2022", "magnum", "75 cl", "cuvée prestige"),
    ),
    TradeSpec(
        "librairie",
        ("Librairie {surname}", "Le Marque-Page", "Librairie du {place}", "Les Mots {adjective}"),
        "livres",
        (
            ("Roman policier", "livres", 21.00),
            ("Bande dessinée", "livres", 15.50),
            ("Guide de randonnée", "livres", 14.90),
            ("Livre de cuisine du terroir", "livres", 29.00),
            ("Album jeunesse", "livres", 12.90),
            ("Carnet de voyage", "papeterie", 9.90),
            ("Stylo plume", "papeterie", 24.00),
            ("Agenda", "papeterie", 16.00),
        ),
        ("", "poche", "grand format", "édition collector", "tome 1", "tome 2", "illustré", "dédicacé"),
        class_overrides={"papeterie": "non-alimentaire"},
    ),
    TradeSpec(
        "fleuriste",
        ("Fleurs de {first}", "L'Atelier Floral", "Au Jardin du {place}"),
        "fleurs-plantes",
        (
            ("Bouquet de roses", "fleurs-plantes", 29.00),
            ("Orchidée blanche", "fleurs-plantes", 34.00),
            ("Bouquet champêtre", "fleurs-plantes", 25.00),
            ("Plante verte monstera", "fleurs-plantes", 39.00),
            ("Composition de saison", "fleurs-plantes", 45.00),
            ("Tulipes", "fleurs-plantes", 14.00),
        ),
        ("", "petit", "moyen", "grand", "de saison", "en pot", "séchée", "à offrir"),
    ),
    TradeSpec(
        "chaussures",
        ("Chaussures {surname}", "Le Pied {adjective}", "Au Bon Pas"),
        "non-alimentaire",
        (
            ("Chaussures de randonnée", "chaussures", 119.00),
            ("Baskets en cuir", "chaussures", 89.00),
            ("Bottines", "chaussures", 129.00),
            ("Escarpins", "chaussures", 99.00),
            ("Sandales", "chaussures", 59.00),
            ("Chaussons", "chaussures", 29.00),
            ("Mocassins", "chaussures", 109.00),
        ),
        ("", "femme", "homme", "enfant", "pointure 38", "pointure 42", "imperméables", "cuir"),
    ),
    TradeSpec(
        "vetements",
        ("Boutique {first}", "Mode et Style", "L'Atelier {surname}"),
        "non-alimentaire",
        (
            ("Pull en laine", "vetements", 69.00),
            ("Chemise en lin", "vetements", 55.00),
            ("Robe d'été", "vetements", 65.00),
            ("Jean droit", "vetements", 79.00),
            ("Écharpe en cachemire", "accessoires", 49.00),
            ("Ceinture en cuir", "accessoires", 35.00),
            ("Sac cabas", "accessoires", 45.00),
        ),
        ("", "femme", "homme", "taille S", "taille M", "taille L", "bleu marine", "écru"),
    ),
    TradeSpec(
        "quincaillerie",
        ("Quincaillerie {surname}", "Droguerie du {place}", "Bricolage {adjective}"),
        "non-alimentaire",
        (
            ("Marteau de menuisier", "outillage", 19.90),
            ("Tournevis cruciforme", "outillage", 6.50),
            ("Boîte de vis à bois", "quincaillerie", 4.90),
            ("Cadenas laiton", "quincaillerie", 12.00),
            ("Ampoule LED", "quincaillerie", 5.90),
            ("Sécateur de jardin", "outillage", 24.00),
            ("Arrosoir galvanisé", "quincaillerie", 29.00),
        ),
        ("", "professionnel", "10 pièces", "lot de 2", "acier", "inox", "compact", "grand modèle"),
    ),
    TradeSpec(
        "jouets",
        ("Jouets {surname}", "Le Coffre à Jouets", "La Ronde des Jeux"),
        "non-alimentaire",
        (
            ("Puzzle 1000 pièces", "jeux-jouets", 19.90),
            ("Jeu de société familial", "jeux-jouets", 34.90),
            ("Peluche ours", "jeux-jouets", 24.00),
            ("Circuit de billes en bois", "jeux-jouets", 49.00),
            ("Jeu de cartes", "jeux-jouets", 9.90),
        ),
        ("", "en bois", "dès 3 ans", "dès 8 ans", "édition voyage", "géant", "coffret", "classique"),
    ),
    TradeSpec(
        "parfumerie",
        ("Parfumerie {surname}", "L'Instant Beauté", "Senteurs du {place}"),
        "non-alimentaire",
        (
            ("Eau de parfum florale", "parfums", 79.00),
            ("Eau de toilette boisée", "parfums", 59.00),
            ("Crème hydratante visage", "soins-cosmetiques", 32.00),
            ("Savon de Marseille", "soins-cosmetiques", 4.50),
            ("Huile sèche corps", "soins-cosmetiques", 28.00),
        ),
        ("", "30 ml", "50 ml", "100 ml", "coffret", "bio", "peaux sensibles", "format voyage"),
    ),
    TradeSpec(
        "sport",
        ("Sport {surname}", "Le Vestiaire du {place}", "Cimes et Sentiers"),
        "non-alimentaire",
        (
            ("Sac à dos de randonnée", "sport-randonnee", 79.00),
            ("Bâtons de marche", "sport-randonnee", 39.00),
            ("Gourde isotherme", "sport-randonnee", 24.00),
            ("Veste coupe-vent", "sport-randonnee", 89.00),
            ("Chaussettes techniques", "sport-randonnee", 14.00),
            ("Chaussures de trail", "chaussures", 129.00),
        ),
        ("", "homme", "femme", "enfant", "20 litres", "30 litres", "ultra-léger", "imperméable"),
    ),
)

SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
)
FIRST_NAMES = (
    "Louise", "Jules", "Camille", "Hugo", "Manon", "Arthur", "Léa", "Gabriel", "Chloé", "Louis",
    "Inès", "Raphaël", "Jeanne", "Paul", "Alice", "Victor", "Lucie", "Marius", "Rose", "Émile",
)
ADJECTIVES = ("Dorée", "Gourmande", "du Centre", "Joyeuse", "d'Antan", "Gourmet", "Bleue", "Fleurie")
PLACES = ("Marché", "Beffroi", "Vieux Pont", "Château", "Parvis", "Quartier", "Canal", "Centre")
STREETS = (
    "rue de la République", "Grande Rue", "place du Marché", "rue Victor-Hugo", "rue Jean-Jaurès",
    "rue Gambetta", "rue Nationale", "place de l'Hôtel-de-Ville", "rue des Halles",
    "rue du Commerce", "rue Pasteur", "rue de la Paix", "rue Saint-Martin", "quai du Port",
)

# The order in which a town gets its shops: common trades come twice early,
# so even the small demo town has products that two shops sell.
TRADE_ORDER = (
    "boulangerie", "fromagerie", "librairie", "fleuriste", "chaussures", "epicerie",
    "boulangerie", "caviste", "boucherie", "primeur", "fromagerie", "quincaillerie",
    "chocolatier", "vetements", "jouets", "parfumerie", "sport", "boulangerie",
    "caviste", "chaussures",
)

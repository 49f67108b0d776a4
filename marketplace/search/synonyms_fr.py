"""A first list of French search synonyms for a town to edit: slang, regional words, trades' people.

Each word also searches the expressions after it (one way, see ``SearchSynonym``).
Loaded by search migration 0002 and by ``synonyms_defaults_load``.
"""

FRENCH_SYNONYMS = {
    # Shoes, clothes
    "soulier": "chaussure",
    "godasse": "chaussure",
    "sneakers": "basket",
    "tennis": "basket",
    "fringue": "vêtement",
    "habit": "vêtement",
    "sape": "vêtement",
    "chandail": "pull",
    "tricot": "pull",
    # Books
    "bouquin": "livre",
    "bd": "bande dessinée",
    "bédé": "bande dessinée",
    "polar": "roman policier",
    # Food and drink
    "chocolatine": "pain au chocolat",
    "gâteau": "pâtisserie, tarte",
    "confiote": "confiture",
    "kawa": "café",
    "caoua": "café",
    "pinard": "vin",
    "vino": "vin",
    "binouze": "bière",
    "bulle": "champagne, cidre",
    "patate": "pomme de terre",
    "cadeau": "coffret",
    # Trades: the person for the shop
    "boulanger": "boulangerie",
    "pâtissier": "pâtisserie",
    "fromager": "fromagerie",
    "boucher": "boucherie",
    "charcutier": "charcuterie",
    "épicier": "épicerie",
    "quincaillier": "quincaillerie",
    "parfumeur": "parfumerie",
    "vigneron": "vin",
    "maraîcher": "primeur, fruits et légumes",
    # Home, toys, outdoors
    "outil": "outillage",
    "bricolage": "quincaillerie, outillage",
    "joujou": "jouet",
    "doudou": "peluche",
    "nounours": "peluche",
    "rando": "randonnée",
    "savonnette": "savon",
}

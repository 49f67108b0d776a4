"""A collection point named after « à »/« au » in French: « au point de retrait … », « à la
consigne … », « au comptoir de … », never « à Point retrait de la Halle »."""
from __future__ import annotations

import pytest

from logistics.models import CollectionPoint, PointKind, point_at_phrase


@pytest.mark.parametrize(
    ("kind", "name", "phrase"),
    [
        (PointKind.TOWN_POINT, "Point retrait de la Halle", "au point retrait de la Halle"),
        (PointKind.TOWN_POINT, "Point de retrait de la gare", "au point de retrait de la gare"),
        (PointKind.TOWN_POINT, "Halle Saint-Jean", "au point de retrait Halle Saint-Jean"),
        (PointKind.TOWN_POINT, "Pointe du lac", "au point de retrait Pointe du lac"),
        (PointKind.LOCKER_BANK, "Consignes du Beffroi", "aux consignes du Beffroi"),
        (PointKind.LOCKER_BANK, "Consigne de la gare", "à la consigne de la gare"),
        (PointKind.LOCKER_BANK, "Beffroi", "à la consigne Beffroi"),
        (PointKind.SHOP_COUNTER, "Comptoir — Maison Muller", "au comptoir de Maison Muller"),
        (PointKind.SHOP_COUNTER, "Comptoir Atelier Roux", "au comptoir d’Atelier Roux"),
        (PointKind.SHOP_COUNTER, "Comptoir du Fromager", "au comptoir du Fromager"),
        (PointKind.SHOP_COUNTER, "Boulangerie Martin", "au comptoir de Boulangerie Martin"),
        (PointKind.SHOP_COUNTER, "Comptoir", "au comptoir du commerce"),
    ],
)
def test_every_kind_of_point_reads_right_after_the_preposition(kind, name, phrase):
    assert point_at_phrase(kind=kind, name=name) == phrase


def test_the_model_gives_its_phrase():
    assert CollectionPoint(kind=PointKind.LOCKER_BANK, name="Consignes du Beffroi").at_phrase == "aux consignes du Beffroi"

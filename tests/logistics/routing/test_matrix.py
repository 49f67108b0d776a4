import math

import pytest

from logistics.routing.matrix import (
    DETOUR_FACTOR,
    SPEEDS_KMH,
    haversine_m,
    matrix_euclidean,
    matrix_haversine,
)
from logistics.routing.problem import Location, PlanarLocation

PARIS = Location(lat=48.8566, lon=2.3522)  # Notre-Dame area
LYON = Location(lat=45.7640, lon=4.8357)  # Bellecour area


def test_haversine_paris_lyon_is_about_392_km():
    assert haversine_m(a=PARIS, b=LYON) == pytest.approx(392_000, abs=2_000)
    assert haversine_m(a=LYON, b=PARIS) == pytest.approx(haversine_m(a=PARIS, b=LYON))
    assert haversine_m(a=PARIS, b=PARIS) == 0


def test_haversine_matrix_applies_detour_and_rounds_durations_up():
    town = [Location(lat=45.8992, lon=6.1294), Location(lat=45.9031, lon=6.1402), Location(lat=45.8950, lon=6.1190)]
    matrix = matrix_haversine(locations=town, profile="cargo_bike")
    speed = SPEEDS_KMH["cargo_bike"] / 3.6
    for i, a in enumerate(town):
        for j, b in enumerate(town):
            road = haversine_m(a=a, b=b) * DETOUR_FACTOR
            assert matrix.distance[i][j] == round(road)
            assert matrix.duration[i][j] == math.ceil(road / speed)
            assert matrix.duration[i][j] >= road / speed  # never optimistic
    assert matrix.duration[0][0] == 0


def test_rounding_is_up_not_to_nearest():
    # 0.1 unit apart: nearest rounding would say 0 time units, which no courier can do.
    matrix = matrix_euclidean(locations=[PlanarLocation(0, 0), PlanarLocation(0.1, 0)])
    assert matrix.duration[0][1] == 1
    assert matrix.distance[0][1] == 0
    # An exact length stays exact (3-4-5): no spurious extra unit.
    exact = matrix_euclidean(locations=[PlanarLocation(0, 0), PlanarLocation(3, 4)], scale=1000)
    assert exact.duration[0][1] == 5000
    assert exact.distance[0][1] == 5000


def test_slower_profiles_take_longer():
    pair = [PARIS, Location(lat=48.8606, lon=2.3376)]  # to the Louvre, about 1.2 km
    by_profile = {p: matrix_haversine(locations=pair, profile=p).duration[0][1] for p in ("foot", "cargo_bike", "van")}
    assert by_profile["foot"] > by_profile["cargo_bike"] > by_profile["van"]
    assert matrix_haversine(locations=pair, speed_kmh=5.0).duration == matrix_haversine(locations=pair, profile="foot").duration


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="Unknown speed profile"):
        matrix_haversine(locations=[PARIS], profile="tractor")
    with pytest.raises(ValueError, match="positive"):
        matrix_haversine(locations=[PARIS], speed_kmh=0)

"""Travel matrices without a road network: great-circle (haversine) for towns, Euclidean
for benchmark instances.

Durations are rounded *up* to whole units. A solver then plans with travel times at
least as long as the real ones, so a plan that meets every window in integers still
meets them in real time; rounding to the nearest would let a tight plan arrive a
fraction of a second late at each stop and the lateness pile up along the route.
Distances are rounded to the nearest unit: they only feed the objective.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from logistics.routing.problem import Location, PlanarLocation, TravelMatrix

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)

#: Streets are not straight lines: the ratio road distance / crow-flies distance usually
#: observed in a European town centre.
DETOUR_FACTOR = 1.3

#: Average speeds, km/h, stops excluded (service times are given per stop).
SPEEDS_KMH: Mapping[str, float] = {
    "cargo_bike": 15.0,
    "foot": 5.0,
    "van": 25.0,
}


def haversine_m(*, a: Location, b: Location) -> float:
    """Great-circle distance in metres between two points."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def matrix_haversine(
    *,
    locations: Sequence[Location],
    profile: str | None = None,
    speed_kmh: float | None = None,
    detour: float = DETOUR_FACTOR,
) -> TravelMatrix:
    """Road-distance estimate in metres and travel time in whole seconds (rounded up).

    The speed comes from ``speed_kmh`` or else from the named ``profile``
    (``SPEEDS_KMH``); one of them is required.
    """
    speed = _speed_ms(profile=profile, speed_kmh=speed_kmh)
    distance: list[tuple[int, ...]] = []
    duration: list[tuple[int, ...]] = []
    for a in locations:
        metres = [haversine_m(a=a, b=b) * detour for b in locations]
        distance.append(tuple(round(m) for m in metres))
        duration.append(tuple(math.ceil(m / speed) for m in metres))
    return TravelMatrix(distance=tuple(distance), duration=tuple(duration))


def matrix_euclidean(
    *, locations: Sequence[PlanarLocation], scale: int = 1, speed: float = 1.0
) -> TravelMatrix:
    """Euclidean matrix in ``1/scale`` units: distance rounded, duration rounded up.

    With ``scale=1000`` and instance times multiplied by 1000 the solver works to a
    thousandth of the instance unit, as the benchmark literature's doubles require.
    """
    distance: list[tuple[int, ...]] = []
    duration: list[tuple[int, ...]] = []
    for a in locations:
        lengths = [math.hypot(a.x - b.x, a.y - b.y) * scale for b in locations]
        distance.append(tuple(round(v) for v in lengths))
        duration.append(tuple(math.ceil(v / speed) for v in lengths))
    return TravelMatrix(distance=tuple(distance), duration=tuple(duration))


def matrix_euclidean_exact(*, locations: Sequence[PlanarLocation]) -> TravelMatrix:
    """Unrounded Euclidean distances as durations and distances (double precision).

    For checking plans the way the literature does; solvers are never given it.
    """
    rows = tuple(
        tuple(math.hypot(a.x - b.x, a.y - b.y) for b in locations) for a in locations
    )
    return TravelMatrix(distance=rows, duration=rows)  # type: ignore[arg-type]


def _speed_ms(*, profile: str | None, speed_kmh: float | None) -> float:
    if speed_kmh is None:
        if profile is None:
            raise ValueError("Give a profile or a speed.")
        try:
            speed_kmh = SPEEDS_KMH[profile]
        except KeyError:
            raise ValueError(f"Unknown speed profile {profile!r}; known: {sorted(SPEEDS_KMH)}.") from None
    if speed_kmh <= 0:
        raise ValueError("The speed must be positive.")
    return speed_kmh / 3.6

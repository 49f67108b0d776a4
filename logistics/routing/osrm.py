"""Road-network matrices from an OSRM server's ``table`` service (optional).

Haversine with a detour factor is good enough to size rounds; a town with a river, a
pedestrian zone or one-way streets plans better on real streets. OSRM answers one HTTP
GET per block of sources x destinations (a server refuses tables larger than its
``--max-table-size`` squared, 100 by default), so a large round is fetched in blocks
and assembled. Durations are rounded up to whole seconds, for the same reason as in
``matrix``. Any failure (network, timeout, HTTP error, an answer that is not a
complete table) raises ``OsrmError``: planning on a half-read matrix would be worse
than falling back to haversine, which the caller decides.
"""
from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from logistics.routing.problem import Location, TravelMatrix

#: Largest block of sources (and of destinations) asked in one request.
BLOCK = 100


class OsrmError(Exception):
    """The OSRM server could not give a complete table; ``str()`` says why."""


def osrm_matrix_fetch(
    *,
    base_url: str,
    locations: Sequence[Location],
    profile: str = "bike",
    timeout: float = 10.0,
    block: int = BLOCK,
) -> TravelMatrix:
    """Distance (metres, rounded) and duration (seconds, rounded up) between all locations.

    ``base_url`` is the server root, e.g. ``http://osrm.internal:5000``; ``profile`` the
    OSRM profile in the URL (``bike``, ``foot``, ``car``: the server decides what it
    serves).
    """
    if block < 1:
        raise ValueError("block must be positive")
    size = len(locations)
    distance = [[0] * size for _ in range(size)]
    duration = [[0] * size for _ in range(size)]
    if size < 2:
        return TravelMatrix(distance=tuple(map(tuple, distance)), duration=tuple(map(tuple, duration)))
    coordinates = ";".join(f"{loc.lon:.6f},{loc.lat:.6f}" for loc in locations)
    url_root = f"{base_url.rstrip('/')}/table/v1/{urllib.parse.quote(profile)}/{coordinates}"
    for sources in _blocks(size=size, block=block):
        for destinations in _blocks(size=size, block=block):
            query = {"annotations": "duration,distance"}
            if len(sources) < size or len(destinations) < size:
                query["sources"] = ";".join(map(str, sources))
                query["destinations"] = ";".join(map(str, destinations))
            answer = _get(url=f"{url_root}?{urllib.parse.urlencode(query, safe=';,')}", timeout=timeout)
            for name, target, rounding in (("durations", duration, math.ceil), ("distances", distance, round)):
                rows = _table_read(answer=answer, name=name, rows=len(sources), columns=len(destinations))
                for i, row in zip(sources, rows):
                    for j, value in zip(destinations, row):
                        if value is None:
                            raise OsrmError(f"OSRM: no route from location {i} to location {j}.")
                        target[i][j] = 0 if i == j else rounding(value)
    return TravelMatrix(distance=tuple(map(tuple, distance)), duration=tuple(map(tuple, duration)))


def _blocks(*, size: int, block: int) -> list[list[int]]:
    return [list(range(start, min(size, start + block))) for start in range(0, size, block)]


def _get(*, url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        detail = _error_detail(body=body)
        raise OsrmError(f"OSRM answered HTTP {error.code}{detail}.") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise OsrmError(f"OSRM unreachable: {error}.") from error
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise OsrmError("OSRM answer is not JSON.") from error
    if not isinstance(answer, dict):
        raise OsrmError("OSRM answer is not a JSON object.")
    if answer.get("code") != "Ok":
        raise OsrmError(f"OSRM refused the table: {answer.get('code')}: {answer.get('message', '')}".rstrip(": ") + ".")
    return answer


def _error_detail(*, body: bytes) -> str:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(answer, dict) and answer.get("code"):
        return f" ({answer['code']}: {answer.get('message', '')})"
    return ""


def _table_read(*, answer: dict, name: str, rows: int, columns: int) -> list[list[float | None]]:
    table = answer.get(name)
    if (
        not isinstance(table, list)
        or len(table) != rows
        or any(not isinstance(row, list) or len(row) != columns for row in table)
    ):
        raise OsrmError(f"OSRM answer has no {rows}x{columns} {name!r} table (is annotations=duration,distance supported?).")
    for row in table:
        for value in row:
            if value is not None and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
                raise OsrmError(f"OSRM answer has an invalid {name} value {value!r}.")
    return table

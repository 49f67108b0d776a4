"""The OSRM table client against a fake OSRM server on a free local port (never the network)."""
import json
import math
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from logistics.routing.osrm import OsrmError, osrm_matrix_fetch
from logistics.routing.problem import Location

PLACES = [Location(lat=45.899, lon=6.129), Location(lat=45.903, lon=6.140), Location(lat=45.906, lon=6.132)]


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers ``/table/v1/<profile>/<lon,lat;...>``: i to j takes 10.2 s and 100.4 m per index apart."""

    mode = "ok"
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        _, service, _version, profile, coordinates = url.path.split("/", 4)
        count = len(coordinates.split(";"))
        query = urllib.parse.parse_qs(url.query)
        sources = [int(i) for i in query["sources"][0].split(";")] if "sources" in query else list(range(count))
        targets = [int(i) for i in query["destinations"][0].split(";")] if "destinations" in query else list(range(count))
        body = {
            "code": "Ok",
            "durations": [[10.2 * abs(i - j) for j in targets] for i in sources],
            "distances": [[100.4 * abs(i - j) for j in targets] for i in sources],
        }
        status = 200
        if service != "table" or profile != "bike":
            status, body = 400, {"code": "InvalidUrl", "message": "URL string malformed close to position 1"}
        elif self.mode == "refused":
            status, body = 400, {"code": "TooBig", "message": "Too many table coordinates"}
        elif self.mode == "short":
            body["durations"] = body["durations"][:-1]
        elif self.mode == "unreachable":
            body["durations"][0][-1] = None
        raw = b"<html>gateway</html>" if self.mode == "html" else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm():
    FakeOsrm.mode = "ok"
    FakeOsrm.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_table_is_read_rounded_up_in_seconds_and_to_the_metre(osrm):
    matrix = osrm_matrix_fetch(base_url=osrm + "/", locations=PLACES, profile="bike")
    assert matrix.duration == tuple(tuple(math.ceil(10.2 * abs(i - j)) for j in range(3)) for i in range(3))
    assert matrix.duration[0][1] == 11 and matrix.duration[0][2] == 21
    assert matrix.distance[0][1] == 100 and matrix.distance[0][2] == 201
    (path,) = FakeOsrm.requests
    assert path.startswith("/table/v1/bike/6.129000,45.899000;6.140000,45.903000;")
    assert "annotations=duration,distance" in path


def test_large_tables_are_fetched_in_blocks(osrm):
    whole = osrm_matrix_fetch(base_url=osrm, locations=PLACES, profile="bike")
    FakeOsrm.requests = []
    blocks = osrm_matrix_fetch(base_url=osrm, locations=PLACES, profile="bike", block=2)
    assert blocks == whole
    assert len(FakeOsrm.requests) == 4  # sources {0,1},{2} x destinations {0,1},{2}


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("refused", "HTTP 400 (TooBig: Too many table coordinates)"),
        ("html", "not JSON"),
        ("short", "no 3x3 'durations' table"),
        ("unreachable", "no route from location 0 to location 2"),
    ],
)
def test_a_bad_answer_raises_a_clear_error(osrm, mode, message):
    FakeOsrm.mode = mode
    with pytest.raises(OsrmError, match=message.replace("(", r"\(").replace(")", r"\)")):
        osrm_matrix_fetch(base_url=osrm, locations=PLACES, profile="bike")


def test_wrong_profile_and_unreachable_server(osrm):
    with pytest.raises(OsrmError, match="InvalidUrl"):
        osrm_matrix_fetch(base_url=osrm, locations=PLACES, profile="car")
    with socket.socket() as bound:  # a port held but not listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        with pytest.raises(OsrmError, match="unreachable"):
            osrm_matrix_fetch(base_url=f"http://127.0.0.1:{bound.getsockname()[1]}", locations=PLACES, timeout=2)


def test_one_location_needs_no_request(osrm):
    matrix = osrm_matrix_fetch(base_url=osrm, locations=PLACES[:1])
    assert matrix.duration == ((0,),) and FakeOsrm.requests == []

"""Downloads are bounded: concurrency, statement timeout, cancellation when the client leaves.

The tests run `eventql serve` as a child process (`tests.server_process`) over the imported
real files, and talk to it over loopback sockets: only a real server shows a client going
away, a transfer cut off, and the database work that outlives them. Two servers per backend,
shared by a module's tests (starting one takes seconds): one running at most two downloads at
once, one with a statement timeout short enough to fire.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.import_files import GDELT_DATASET, UCDP_DATASET
from tests.import_files import loaded as loaded  # a module-scoped fixture
from tests.server_process import ServerProcess, serve

#: A filter that keeps either database busy for seconds on the imported files: each of its
#: conditions scans the figures again. 400 of them stay under the 20,000-character limit, but
#: not the relation limit (`RELATIONS`, which the servers here raise).
HEAVY = json.dumps(
    {"or": [{"figure": {"raw": {"includesInsensitive": f"q{i}"}}} for i in range(400)]},
    separators=(",", ":"),
)
#: Servers raise `max_filter_relations` (100) for `HEAVY`'s 400 relation keys, which would
#: otherwise be refused before the database got any work.
RELATIONS = {"EVENTQL_MAX_FILTER_RELATIONS": "1000"}
#: How long a test waits for something that takes well under a second when all is well.
PATIENCE_S = 5.0


#: The statement timeout of `impatient_server`: a JSONL download's first chunk (the first
#: dataset's line) is read in time, and a later statement runs past it. On SQLite, 1 ms: the
#: dataset query is too small for SQLite ever to check its clock, the record queries are not.
#: On PostgreSQL, 500 ms, with the figures (read last) locked meanwhile (`_figures_locked`).
_TIMEOUT_MS = {"sqlite": "1", "postgresql": "500"}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def server(loaded: Engine) -> Iterator[ServerProcess]:
    """A server that runs at most two downloads at once."""
    env = {"EVENTQL_MAX_CONCURRENT_EXPORTS": "2", **RELATIONS}
    with serve(_url(loaded), env=env) as running:
        yield running


@pytest.fixture(scope="module")
def impatient_server(loaded: Engine) -> Iterator[ServerProcess]:
    """A server whose export statement timeout is `_TIMEOUT_MS`."""
    env = {"EVENTQL_EXPORT_STATEMENT_TIMEOUT_MS": _TIMEOUT_MS[loaded.dialect.name], **RELATIONS}
    with serve(_url(loaded), env=env) as running:
        yield running


def _request(server: ServerProcess, path: str, **params: str) -> socket.socket:
    """Send a GET on a raw socket (so the test decides when to read, and when to leave)."""
    port = urlsplit(server.base_url).port
    assert port is not None
    target = f"{path}?{urlencode(params)}" if params else path
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    return sock


def _status(sock: socket.socket) -> int:
    """Read up to the end of the response headers (and no further); the status code."""
    head = b""
    while b"\r\n\r\n" not in head:
        data = sock.recv(1)
        assert data, "the server closed the connection before its headers"
        head += data
    return int(head.split(b" ", 2)[1])


@contextmanager
def _held(server: ServerProcess, count: int) -> Iterator[None]:
    """`count` downloads of everything, started and then left unread: the server cannot hand
    over more than the socket buffers take, so each keeps running until the test leaves."""
    sockets: list[socket.socket] = []
    try:
        deadline = time.monotonic() + PATIENCE_S
        while len(sockets) < count:
            sock = _request(server, "/export/events.csv")
            if _status(sock) == 200:
                sockets.append(sock)
                continue
            sock.close()  # a slot of an earlier test not given back yet
            assert time.monotonic() < deadline, "the server's download slots stayed taken"
            time.sleep(0.1)
        yield
    finally:
        for sock in sockets:
            sock.close()


def _small_download(server: ServerProcess) -> httpx.Response:
    filter_ = json.dumps({"countryCode": {"equalTo": "BD"}, "dataset": {"equalTo": UCDP_DATASET}})
    return httpx.get(f"{server.base_url}/export/events.csv", params={"filter": filter_})


def _small_download_until(server: ServerProcess, refused: bool) -> httpx.Response:
    """A small download, retried (for up to PATIENCE_S) until the server refuses it for want
    of a slot (503), or, with `refused=False`, until it does not."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        response = _small_download(server)
        if (response.status_code == 503) == refused or time.monotonic() > deadline:
            return response
        time.sleep(0.02)


def _eventually_downloads(server: ServerProcess) -> httpx.Response:
    """A small download, retried while the server answers 503 (for up to PATIENCE_S)."""
    return _small_download_until(server, refused=False)


def _active_backends(engine: Engine) -> list[Any]:
    """The PostgreSQL backends running a statement on the test database, other than ours."""
    query = text(
        "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
        "AND state = 'active' AND pid <> pg_backend_pid()"
    )
    with engine.connect() as connection:
        return list(connection.execute(query))


def _wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_download_beyond_max_concurrent_exports_is_a_503(server: ServerProcess) -> None:
    with _held(server, 2):
        refused = _small_download(server)
    again = _eventually_downloads(server)  # the two left: their slots are given back
    assert refused.status_code == 503
    assert refused.headers["Retry-After"].isdigit()
    [error] = refused.json()["errors"]
    assert "max_concurrent_exports" in error["message"]
    assert again.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(again.text, newline="")))) == 601  # all of it


def test_abandoned_download_gives_its_slot_back(server: ServerProcess) -> None:
    logged = len(server.output())
    with _held(server, 1):
        with closing(_request(server, "/export/events.csv", filter=HEAVY)):
            # Refused once the heavy download holds the other slot, which it does while its
            # statement runs (about half a second here; not a fixed sleep, which a fast
            # machine outran); the download is then abandoned mid-statement.
            busy = _small_download_until(server, refused=True)
        after = _eventually_downloads(server)
    assert busy.status_code == 503
    assert after.status_code == 200
    assert "export cancelled: the client of /export/events.csv" in server.output()[logged:]


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_idle(pid: int) -> bool:
    before = _cpu_seconds(pid)
    time.sleep(0.5)
    return _cpu_seconds(pid) - before < 0.1


def test_abandoned_download_leaves_no_statement_running(
    server: ServerProcess, loaded: Engine
) -> None:
    # Until the slots of an earlier test's downloads are given back, the heavy download would
    # be refused, and the server stay idle.
    assert _eventually_downloads(server).status_code == 200
    if loaded.dialect.name == "postgresql":  # PostgreSQL shows its running statements
        with closing(_request(server, "/export/events.csv", filter=HEAVY)):
            _wait_for(lambda: _active_backends(loaded), "the heavy statement never started")
        _wait_for(lambda: not _active_backends(loaded), "a statement outlived its download")
        return
    # SQLite runs in the server process: a statement still running keeps it busy.
    with closing(_request(server, "/export/events.csv", filter=HEAVY)):
        _wait_for(lambda: not _server_idle(server.pid), "the heavy statement never started")
    _wait_for(lambda: _server_idle(server.pid), "a statement outlived its download")


def test_statement_timeout_before_the_first_byte_is_a_400(
    impatient_server: ServerProcess, loaded: Engine
) -> None:
    url = f"{impatient_server.base_url}/export/events.csv"
    # On PostgreSQL the figures `HEAVY` reads are locked meanwhile, so its statement outlasts
    # the timeout on any machine: alone it took 0.5 s here, the timeout's own length.
    with _figures_locked(loaded):
        response = httpx.get(url, params={"filter": HEAVY})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "export_statement_timeout_ms" in error["message"]


@contextmanager
def _figures_locked(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE figure IN ACCESS EXCLUSIVE MODE"))
        yield


def test_statement_timeout_mid_download_cuts_the_transfer_off(
    impatient_server: ServerProcess, loaded: Engine
) -> None:
    logged = len(impatient_server.output())
    received = bytearray()
    url = f"{impatient_server.base_url}/export/events.jsonl"
    with (
        _figures_locked(loaded),
        pytest.raises(httpx.RemoteProtocolError, match="incomplete"),
        httpx.stream("GET", url, timeout=30) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received += chunk
    log = impatient_server.wait_for_log("export aborted")[logged:]
    assert received.startswith(b'{"dataset":{"name":"' + GDELT_DATASET.encode())
    [line] = [line for line in log.splitlines() if "export aborted" in line]
    assert "export_statement_timeout_ms" in line
    assert "Traceback" not in log

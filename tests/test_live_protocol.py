"""The live transports speak their protocols: graphql-transport-ws over a WebSocket at
`/graphql` (every close code of the protocol, limits, keep-alive, queries over the socket),
graphql-sse at `/graphql/stream` (errors as events, malformed requests as 4xx), and a
subscription sent over plain HTTP is a clear error. One real server for the module, as the
protocol does not depend on the database (delivery on both is `test_live_delivery.py`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from websockets.exceptions import ConnectionClosed

from tests.harness import load_bundled
from tests.live_support import (
    PATIENCE_S,
    SUBSCRIPTION,
    WsClient,
    sse_events,
    wait_for_subscribers,
    ws_connect,
)
from tests.server_process import ServerProcess, serve

pytestmark = pytest.mark.slow

#: Small limits, so that tests reach them.
SETTINGS = {
    "EVENTQL_CONNECTION_INIT_TIMEOUT_S": "1",
    "EVENTQL_MAX_SUBSCRIPTIONS_PER_CONNECTION": "2",
    "EVENTQL_MAX_SUBSCRIPTIONS": "3",
    "EVENTQL_KEEP_ALIVE_S": "0.5",
    "EVENTQL_MAX_DEPTH": "3",
}
DATASETS = "{ datasets { name } }"
EXPECTED_DATASETS = {"data": {"datasets": [{"name": "kazakhstan-2022"}]}}
SSE = {"Accept": "text/event-stream"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server over the bundled seed, with the small limits of `SETTINGS`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'eventql.sqlite3'}"
    load_bundled(url)
    with serve(url, env=SETTINGS) as running:
        yield running


@pytest.fixture
def ws(server: ServerProcess) -> Iterator[WsClient]:
    """A socket to the server, not yet initialised."""
    with ws_connect(server.base_url) as client:
        yield client


def _closed_with(ws: WsClient) -> tuple[int | None, str | None]:
    """Wait until the server closes the socket; its close code and reason."""
    with pytest.raises(ConnectionClosed):
        while True:
            ws.receive()
    return ws.connection.close_code, ws.connection.close_reason


def _subscribe(ws: WsClient, operation_id: str, query: str, **extra: Any) -> None:
    ws.send({"type": "subscribe", "id": operation_id, "payload": {"query": query, **extra}})


def test_a_query_over_the_socket_is_one_result_then_complete(ws: WsClient) -> None:
    ws.init()
    _subscribe(ws, "q", DATASETS)
    assert ws.receive() == {"type": "next", "id": "q", "payload": EXPECTED_DATASETS}
    assert ws.receive() == {"type": "complete", "id": "q"}


def test_pings_are_answered_and_the_server_pings(ws: WsClient) -> None:
    ws.send({"type": "ping"})  # allowed before ConnectionInit too
    assert ws.receive() == {"type": "pong"}
    ws.init()
    # The server's keep-alive (every 0.5 s here) arrives while the socket is idle.
    while True:
        message = orjson.loads(ws.connection.recv(timeout=PATIENCE_S))
        if message == {"type": "ping"}:
            break
    ws.send({"type": "pong"})
    _subscribe(ws, "q", DATASETS)
    assert ws.receive()["type"] == "next"


def test_errors_before_execution_are_error_messages_with_codes(
    ws: WsClient, server: ServerProcess
) -> None:
    ws.init()
    _subscribe(ws, "bad", "{ nope }")
    message = ws.receive()
    assert message["type"] == "error" and message["id"] == "bad"
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    # The limits of HTTP apply: the same error, word for word, as a POST gets.
    deep = "subscription { datasetChanged { number } } query Deep { events { nodes { "
    deep += "participants { actor { name } } } } }"
    _subscribe(ws, "deep", deep, operationName="Deep")
    over_ws = ws.receive()
    over_http = httpx.post(
        f"{server.base_url}/graphql", json={"query": deep, "operationName": "Deep"}
    ).json()
    assert over_ws["type"] == "error"
    assert over_ws["payload"] == over_http["errors"]
    assert over_ws["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "max_depth" in over_ws["payload"][0]["message"]
    # The socket stays usable after errors.
    _subscribe(ws, "ok", DATASETS)
    assert ws.receive()["payload"] == EXPECTED_DATASETS


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "no `type`"),
        ({"type": "hello"}, "unknown type 'hello'"),
        ({"type": "next", "id": "1", "payload": {}}, "unknown type 'next'"),
        ({"type": "subscribe", "payload": {"query": DATASETS}}, "no `id`"),
        ({"type": "subscribe", "id": "1", "payload": "{ datasets { name } }"}, "JSON object"),
        ({"type": "subscribe", "id": "1", "payload": {}}, "missing query"),
        (
            {"type": "subscribe", "id": "1", "payload": {"query": DATASETS, "variables": [1]}},
            "`variables` must be a JSON object",
        ),
        ({"type": "complete"}, "no `id`"),
        ({"type": "connection_init", "payload": "token"}, "payload is not an object"),
    ],
)
def test_an_invalid_message_closes_the_socket_with_4400(
    ws: WsClient, server: ServerProcess, message: Any, reason: str
) -> None:
    if message != {"type": "connection_init", "payload": "token"}:
        ws.init()
    ws.send(message)
    code, said = _closed_with(ws)
    assert code == 4400
    assert said is not None and said.startswith("Invalid message received") and reason in said
    # The server lives on.
    with ws_connect(server.base_url) as again:
        again.init()


def test_a_binary_message_closes_the_socket_with_4400(ws: WsClient) -> None:
    ws.init()
    ws.connection.send(b'{"type": "ping"}')
    assert _closed_with(ws)[0] == 4400


def test_subscribe_before_the_acknowledgement_closes_with_4401(ws: WsClient) -> None:
    _subscribe(ws, "early", DATASETS)
    assert _closed_with(ws) == (4401, "Unauthorized")


def test_a_second_connection_init_closes_with_4429(ws: WsClient) -> None:
    ws.init()
    ws.send({"type": "connection_init"})
    assert _closed_with(ws) == (4429, "Too many initialisation requests")


def test_no_connection_init_in_time_closes_with_4408(ws: WsClient) -> None:
    assert _closed_with(ws) == (4408, "Connection initialisation timeout")


def test_a_running_id_used_again_closes_with_4409(ws: WsClient) -> None:
    ws.init()
    _subscribe(ws, "same", SUBSCRIPTION)
    _subscribe(ws, "same", SUBSCRIPTION)
    assert _closed_with(ws) == (4409, "Subscriber for same already exists")


def test_an_id_may_be_used_again_once_its_operation_is_over(ws: WsClient) -> None:
    ws.init()
    for _ in range(2):
        _subscribe(ws, "again", DATASETS)
        assert ws.receive()["type"] == "next"
        assert ws.receive() == {"type": "complete", "id": "again"}


def test_another_subprotocol_is_refused_with_4406(server: ServerProcess) -> None:
    with ws_connect(server.base_url, protocol="graphql-ws") as old:
        assert _closed_with(old) == (4406, "Subprotocol not acceptable")


def test_operations_per_connection_are_limited(ws: WsClient) -> None:
    ws.init()
    _subscribe(ws, "1", SUBSCRIPTION)
    _subscribe(ws, "2", SUBSCRIPTION)
    _subscribe(ws, "3", SUBSCRIPTION)
    refused = ws.receive()
    assert refused["type"] == "error" and refused["id"] == "3"
    assert refused["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "max_subscriptions_per_connection" in refused["payload"][0]["message"]
    # Completing one makes room for another.
    ws.send({"type": "complete", "id": "1"})
    _subscribe(ws, "4", DATASETS)
    assert ws.receive()["id"] == "4"


def test_subscriptions_per_server_are_limited(server: ServerProcess) -> None:
    with ws_connect(server.base_url) as first, ws_connect(server.base_url) as second:
        first.init()
        second.init()
        _subscribe(first, "1", SUBSCRIPTION)
        _subscribe(first, "2", SUBSCRIPTION)
        _subscribe(second, "3", SUBSCRIPTION)
        # Queries are not subscriptions: they still run.
        _subscribe(second, "q", DATASETS)
        assert second.receive()["payload"] == EXPECTED_DATASETS
        assert second.receive() == {"type": "complete", "id": "q"}
        _subscribe(second, "4", SUBSCRIPTION)
        refused = second.receive()
        assert refused["type"] == "error" and refused["id"] == "4"
        assert refused["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert "(max_subscriptions)" in refused["payload"][0]["message"]
        response = httpx.post(
            f"{server.base_url}/graphql/stream", json={"query": SUBSCRIPTION}, headers=SSE
        )
        events = list(sse_events(iter(response.text.splitlines())))
        assert [event for event, _ in events] == ["next", "complete"]
        error = orjson.loads(events[0][1])["errors"][0]
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert "(max_subscriptions)" in error["message"]


def test_an_sse_query_is_one_next_event_then_complete(server: ServerProcess) -> None:
    for response in (
        httpx.post(f"{server.base_url}/graphql/stream", json={"query": DATASETS}, headers=SSE),
        httpx.get(f"{server.base_url}/graphql/stream", params={"query": DATASETS}, headers=SSE),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = list(sse_events(iter(response.text.splitlines())))
        assert events == [("next", orjson.dumps(EXPECTED_DATASETS).decode()), ("complete", "")]


def test_sse_validation_errors_are_next_events(server: ServerProcess) -> None:
    response = httpx.post(
        f"{server.base_url}/graphql/stream", json={"query": "{ nope }"}, headers=SSE
    )
    assert response.status_code == 200
    events = list(sse_events(iter(response.text.splitlines())))
    assert [event for event, _ in events] == ["next", "complete"]
    error = orjson.loads(events[0][1])["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_an_idle_sse_stream_gets_keep_alive_comments(server: ServerProcess) -> None:
    with httpx.stream(
        "POST",
        f"{server.base_url}/graphql/stream",
        json={"query": SUBSCRIPTION},
        headers=SSE,
        timeout=PATIENCE_S,
    ) as response:
        assert next(response.iter_lines()) == ":"


@pytest.mark.parametrize(
    ("method", "body", "headers", "status", "words"),
    [
        ("POST", b'{"query": 1}', {"Content-Type": "application/json", **SSE}, 400, "query"),
        ("POST", b"{not json", {"Content-Type": "application/json", **SSE}, 400, "Malformed"),
        ("POST", b'{"query": "{ x }"}', {"Content-Type": "text/plain", **SSE}, 415, "content"),
        ("POST", b'{"query": "{ x }"}', {"Content-Type": "application/json"}, 406, "Accept"),
        ("PATCH", b"", SSE, 405, "single connection mode"),
    ],
)
def test_malformed_sse_requests_get_a_4xx_with_a_graphql_error(
    server: ServerProcess,
    method: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    words: str,
) -> None:
    response = httpx.request(
        method, f"{server.base_url}/graphql/stream", content=body, headers=headers
    )
    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert words.lower() in error["message"].lower()


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_subscription_over_plain_http_is_a_clear_error(
    server: ServerProcess, method: str
) -> None:
    if method == "POST":
        response = httpx.post(f"{server.base_url}/graphql", json={"query": SUBSCRIPTION})
    else:
        response = httpx.get(f"{server.base_url}/graphql", params={"query": SUBSCRIPTION})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "/graphql/stream" in error["message"] and "WebSocket" in error["message"]


def test_a_subscription_is_in_the_schema(server: ServerProcess) -> None:
    names = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": "{ __schema { subscriptionType { fields { name } } } }"},
    ).json()["data"]["__schema"]["subscriptionType"]["fields"]
    assert {"name": "datasetChanged"} in names


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_server_with_open_subscriptions_stops_when_told(
    tmp_path_factory: pytest.TempPathFactory, workers: str
) -> None:
    # An event stream never ends by itself: uvicorn, waiting for open responses to finish,
    # would never stop.
    url = f"sqlite:///{tmp_path_factory.mktemp('stop') / 'eventql.sqlite3'}"
    load_bundled(url)
    with serve(url, args=["--workers", workers]) as server:
        with (
            ws_connect(server.base_url) as ws,
            httpx.stream(
                "POST",
                f"{server.base_url}/graphql/stream",
                json={"query": SUBSCRIPTION},
                headers=SSE,
                timeout=PATIENCE_S,
            ) as stream,
        ):
            ws.init()
            _subscribe(ws, "s", SUBSCRIPTION)
            if workers == "1":  # with two, /metrics reaches either worker
                wait_for_subscribers(lambda path: httpx.get(server.base_url + path), 2)
            server.process.terminate()
            server.process.wait(timeout=PATIENCE_S)
            # The stream ended without `complete`: the client may reconnect elsewhere.
            assert [event for event, _ in sse_events(stream.iter_lines())] == []
            with pytest.raises(ConnectionClosed):
                ws.receive()
            assert ws.connection.close_code == 1012


def _reserve(client: httpx.Client) -> str:
    response = client.put("/graphql/stream")
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def test_single_connection_mode_streams_many_operations(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.base_url, timeout=PATIENCE_S) as client:
        token = _reserve(client)
        headers = {"X-GraphQL-Event-Stream-Token": token}
        # Results sent before the stream connects wait for it.
        query = {"query": DATASETS, "extensions": {"operationId": "q1"}}
        assert client.post("/graphql/stream", json=query, headers=headers).status_code == 202
        with client.stream("GET", "/graphql/stream", headers={**headers, **SSE}) as stream:
            assert stream.status_code == 200
            # One stream per reservation.
            again = client.get("/graphql/stream", headers={**headers, **SSE})
            assert again.status_code == 409
            events = sse_events(stream.iter_lines())
            assert next(events) == (
                "next",
                orjson.dumps({"id": "q1", "payload": EXPECTED_DATASETS}).decode(),
            )
            assert next(events) == ("complete", '{"id":"q1"}')
            # A subscription, then a query by GET with the token as a URL parameter, then
            # the subscription stopped by DELETE.
            subscription = {"query": SUBSCRIPTION, "extensions": {"operationId": "s"}}
            assert (
                client.post("/graphql/stream", json=subscription, headers=headers).status_code
                == 202
            )
            duplicate = client.post("/graphql/stream", json=subscription, headers=headers)
            assert duplicate.status_code == 409
            params = {"query": "{ nope }", "extensions": '{"operationId": "bad"}', "token": token}
            assert client.get("/graphql/stream", params=params).status_code == 202
            event, data = next(events)
            assert event == "next" and orjson.loads(data)["id"] == "bad"
            error = orjson.loads(data)["payload"]["errors"][0]
            assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            assert next(events) == ("complete", '{"id":"bad"}')
            stopped = client.delete("/graphql/stream", params={"operationId": "s"}, headers=headers)
            assert stopped.status_code == 200
            wait_for_subscribers(lambda path: client.get(path), 0)
            no_id = client.post("/graphql/stream", json={"query": DATASETS}, headers=headers)
            assert (
                no_id.status_code == 400 and "operationId" in no_id.json()["errors"][0]["message"]
            )
        # The stream is gone, and its reservation with it — once the server has seen the
        # hang-up, which it learns a moment after the client closes (hence the retries).
        deadline = time.monotonic() + PATIENCE_S
        while (
            gone := client.post("/graphql/stream", json=query, headers=headers)
        ).status_code != 404:
            assert gone.status_code == 202 and time.monotonic() < deadline, gone.text
            time.sleep(0.05)
        assert gone.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_reservation_never_connected_to_expires(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.base_url, timeout=PATIENCE_S) as client:
        headers = {"X-GraphQL-Event-Stream-Token": _reserve(client)}
        query = {"query": DATASETS, "extensions": {"operationId": "q"}}
        deadline = time.monotonic() + PATIENCE_S
        # connection_init_timeout_s is 1 s here.
        while client.post("/graphql/stream", json=query, headers=headers).status_code != 404:
            assert time.monotonic() < deadline, "the reservation never expired"
            time.sleep(0.2)

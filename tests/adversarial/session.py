"""One attack's requests: sent, timed and judged against the server's limits.

Every request an attack sends must end one of three ways: *answered* (200, data and no
errors, with no more list items than the node budget allows), *refused* (a GraphQL error, a
4xx or a 503, each with a message), or — for a download the attacker hangs up on —
*abandoned*. Anything else fails: a 5xx other than 503, "Unexpected error.", a body without
a message, no answer at all, or any answer later than the limit (the server's
`request_timeout_s` plus slack for a shared machine).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from tests.adversarial.bounds import MAX_NODES
from tests.server_process import ServerProcess

__all__ = ["CLIENT_GRACE_S", "Result", "Session", "judge_graphql", "list_items"]

#: How much longer than the limit a client waits before it gives up on an answer.
CLIENT_GRACE_S = 5.0


@dataclass(frozen=True)
class Result:
    """How one request of an attack ended."""

    label: str
    #: HTTP status, or None when no answer (or no status line) came.
    status: int | None
    seconds: float
    #: "answered", "refused", "abandoned" or "failed".
    verdict: str
    detail: str

    @property
    def ok(self) -> bool:
        """Whether this is an acceptable ending."""
        return self.verdict != "failed"

    def __str__(self) -> str:
        status = "no answer" if self.status is None else str(self.status)
        return f"{self.label}: {self.verdict} ({status}, {self.seconds:.2f} s) {self.detail}"


def list_items(value: Any) -> int:
    """How many list items a JSON value holds, at every depth."""
    if isinstance(value, list):
        return len(value) + sum(list_items(item) for item in value)
    if isinstance(value, dict):
        return sum(list_items(item) for item in value.values())
    return 0


def _messages(payload: Any) -> list[str] | None:
    """The error messages of a GraphQL payload, or None when it is not one."""
    if not isinstance(payload, dict) or not ("data" in payload or "errors" in payload):
        return None
    errors = payload.get("errors") or []
    return [str(error.get("message") or "") for error in errors if isinstance(error, dict)]


def judge_graphql(status: int, body: bytes) -> tuple[str, str]:
    """Verdict and detail for a GraphQL answer (a batch answers a list of payloads)."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "failed", f"not JSON: {body[:200]!r}"
    payloads = parsed if isinstance(parsed, list) else [parsed]
    refusals: list[str] = []
    for payload in payloads:
        messages = _messages(payload)
        if messages is None:
            return "failed", f"not a GraphQL response: {body[:200]!r}"
        if any(not m or m == "Unexpected error." for m in messages):
            return "failed", f"error without a proper message: {body[:300]!r}"
        refusals += messages
        if status == 200 and not messages and payload.get("data") is None:
            return "failed", "200 with neither data nor errors"
    if refusals and (status == 200 or 400 <= status < 500 or status == 503):
        return "refused", refusals[0][:160]
    if status != 200:
        return "failed", f"status {status}: {body[:200]!r}"
    items = sum(list_items(payload.get("data")) for payload in payloads)
    if items > MAX_NODES:
        return "failed", f"answer holds {items:,} list items, over the node budget {MAX_NODES:,}"
    return "answered", f"{len(body):,} bytes, {items:,} list items"


class Session:
    """Sends one attack's requests to a server and keeps their results (thread-safe)."""

    def __init__(self, server: ServerProcess, database_url: str, limit_s: float) -> None:
        self.server = server
        self.database_url = database_url
        self.limit_s = limit_s
        self.results: list[Result] = []
        self._lock = threading.Lock()

    @property
    def stuck(self) -> bool:
        """Whether some request got no answer: the server is stuck, later requests would
        only wait as long (so sequential attacks stop)."""
        return any(r.status is None and r.verdict == "failed" for r in self.results)

    def record(self, result: Result) -> Result:
        """Keep a result; late answers fail whatever they say."""
        if result.seconds > self.limit_s and result.verdict != "abandoned":
            result = Result(
                result.label,
                result.status,
                result.seconds,
                "failed",
                f"later than the limit of {self.limit_s:.0f} s ({result.verdict}: {result.detail})",
            )
        with self._lock:
            self.results.append(result)
        return result

    def client(self) -> httpx.Client:
        """A client that waits a little longer than the limit."""
        return httpx.Client(base_url=self.server.base_url, timeout=self.limit_s + CLIENT_GRACE_S)

    def graphql(self, label: str, body: Any, *, get: bool = False) -> Result:
        """POST a GraphQL body (an object, or a list for a batch), or GET its query."""
        started = time.monotonic()
        try:
            with self.client() as client:
                if get:
                    response = client.get("/graphql", params={"query": body["query"]})
                else:
                    response = client.post("/graphql", json=body)
        except httpx.HTTPError as error:
            return self.record(
                Result(label, None, time.monotonic() - started, "failed", repr(error))
            )
        verdict, detail = judge_graphql(response.status_code, response.content)
        seconds = time.monotonic() - started
        return self.record(Result(label, response.status_code, seconds, verdict, detail))

    def downloads_busy(self) -> bool:
        """Whether every download slot is taken (a tiny download, not recorded, gets a 503)."""
        try:
            with self.client() as client:
                response = client.head("/export/events.csv")
                if response.status_code != 503:
                    params = {"filter": '{"slug": {"equalTo": "e1"}}'}
                    response = client.get("/export/events.csv", params=params)
        except httpx.HTTPError:
            return True
        return response.status_code == 503

    def download(self, label: str, path: str, params: dict[str, str]) -> Result:
        """A whole download, which must be answered 200 (a refusal fails here)."""
        started = time.monotonic()
        try:
            with self.client() as client:
                response = client.get(path, params=params)
        except httpx.HTTPError as error:
            return self.record(
                Result(label, None, time.monotonic() - started, "failed", repr(error))
            )
        seconds = time.monotonic() - started
        if response.status_code != 200:
            detail = f"refused: {response.text[:200]}"
            return self.record(Result(label, response.status_code, seconds, "failed", detail))
        detail = f"{len(response.content):,} bytes"
        return self.record(Result(label, 200, seconds, "answered", detail))

    def abandon_download(self, label: str, path_and_query: str, after_s: float) -> Result:
        """Start a download, read whatever comes for `after_s` seconds, then hang up.

        A raw socket, so the hang-up happens exactly then, whether or not the headers came
        (a download may rightly take longer than that to start: its first chunk is read
        before its status is sent).
        """
        url = urlsplit(self.server.base_url)
        started = time.monotonic()
        received = b""
        with socket.create_connection((url.hostname, url.port or 80), timeout=5) as sock:
            sock.sendall(
                f"GET {path_and_query} HTTP/1.1\r\nHost: {url.netloc}\r\n\r\n".encode("ascii")
            )
            while (left := after_s - (time.monotonic() - started)) > 0:
                sock.settimeout(left)
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    break
                if not chunk:
                    break
                received += chunk
        seconds = time.monotonic() - started
        status = _status_of(received)
        if status is None:
            return self.record(Result(label, None, seconds, "abandoned", "before any answer"))
        if status == 200 or 400 <= status < 500 or status == 503:
            detail = f"after {len(received):,} bytes"
            return self.record(Result(label, status, seconds, "abandoned", detail))
        return self.record(Result(label, status, seconds, "failed", repr(received[:300])))


def _status_of(received: bytes) -> int | None:
    line = received.split(b"\r\n", 1)[0].split()
    if len(line) >= 2 and line[0].startswith(b"HTTP/") and line[1].isdigit():
        return int(line[1])
    return None

"""Reading and rewriting ASGI messages, for the HTTP layers in front of the GraphQL endpoint.

Those layers (persisted queries, ETags) need to see a whole request body or a whole JSON
response before deciding. These helpers read the body once and replay it, and capture a JSON
response so a layer can add headers once it has seen the body. Anything that is not JSON
passes straight through, uncaptured (and so could stream).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CapturedResponse",
    "capture_json_response",
    "json_response",
    "read_body",
    "replay_body",
    "with_header",
]


async def read_body(receive: Receive, *, limit: int | None = None) -> tuple[bytes, bool]:
    """The request body, and whether it is complete: reading stops once it exceeds `limit`
    (replay the part read with `more_body=True`, and the app reads the rest itself)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if limit is not None and size > limit:
            return b"".join(chunks), False


def replay_body(body: bytes, receive: Receive, *, more_body: bool = False) -> Receive:
    """A `receive` that yields `body` once, then defers to the original (for the rest of an
    incomplete body, or a disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": more_body}
        return await receive()

    return replayed


def with_header(scope: Scope, name: bytes, value: bytes) -> Scope:
    """A copy of `scope` with header `name` (lower-case) replaced by `value`."""
    headers = [(k, v) for k, v in scope["headers"] if k != name]
    headers.append((name, value))
    return {**scope, "headers": headers}


@dataclass
class CapturedResponse:
    """A complete JSON response held back so a layer can rewrite it before sending."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""

    def set_header(self, name: bytes, value: bytes) -> None:
        """Replace header `name` (lower-case) with `value`."""
        self.headers = [(k, v) for k, v in self.headers if k != name] + [(name, value)]

    async def send(self, send: Send) -> None:
        """Send the (possibly rewritten) response."""
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


def _is_json(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    content_type = next((v for k, v in headers if k == b"content-type"), b"")
    return content_type.split(b";")[0].strip().endswith(b"json")


async def capture_json_response(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> CapturedResponse | None:
    """Run `app`; return its response if it is JSON (not yet sent), else stream it and return
    None. A JSON response is complete when returned."""
    captured: CapturedResponse | None = None
    streaming = False
    chunks: list[bytes] = []

    async def intercept(message: Message) -> None:
        nonlocal captured, streaming
        if message["type"] == "http.response.start":
            if _is_json(message.get("headers", [])):
                captured = CapturedResponse(message["status"], list(message.get("headers", [])))
            else:
                streaming = True
                await send(message)
        elif message["type"] == "http.response.body" and captured is not None:
            chunks.append(message.get("body", b""))
        else:
            await send(message)

    await app(scope, receive, intercept)
    if streaming or captured is None:
        return None
    captured.body = b"".join(chunks)
    return captured


async def json_response(
    send: Send,
    status: int,
    body: bytes,
    *,
    media_type: str = "application/json",
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """Send a complete JSON response."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", f"{media_type}; charset=utf-8".encode()),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})

"""`/favicon.ico`: browsers ask every site for it, and a 404 there is noise in every log.

The icon (32×32, a small graph on GraphQL's pink; `static/favicon.ico`, 296 bytes) is read
once and served with a week of caching and an ETag, so a browser asks again rarely and then
gets a 304.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["ICON_PATH", "favicon_routes"]

ICON_PATH = Path(__file__).parent.parent / "static" / "favicon.ico"
#: A week: the icon changes only with a release.
CACHE_CONTROL = "public, max-age=604800"


@functools.cache
def _icon() -> tuple[bytes, str]:
    body = ICON_PATH.read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:16]}"'


async def _favicon(request: Request) -> Response:
    body, etag = _icon()
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="image/x-icon", headers=headers)


def favicon_routes() -> list[Route]:
    """The route serving `/favicon.ico` (GET and HEAD)."""
    return [Route("/favicon.ico", _favicon, methods=["GET", "HEAD"], name="favicon")]

"""The GraphiQL explorer at /graphql, served entirely from files inside this package.

Strawberry's own GraphiQL page loads React and GraphiQL from a CDN, so it is blank offline or
behind a firewall. This module serves a pinned GraphiQL build vendored under `static/graphiql/`
(see its README for versions, licences and how to refresh it) plus our own scripts: the start-up
script and the results view, which draws a result as a map on a bundled Natural Earth outline,
a timeline and bar charts. The page opens with example queries over the seed data in tabs
(`examples/*.graphql`) and the documentation explorer open. Subscriptions run from the page
too: `explorer.js` sends them to `/graphql/stream` (GraphQL over Server-Sent Events) and shows
each event as it arrives.

The app mounts `explorer_routes()` and lets `html_page` answer a browser's GET /graphql.
Nothing here touches the database or the schema.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path

from graphql import OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

__all__ = [
    "ASSET_ROUTE_NAME",
    "Asset",
    "Example",
    "explorer_page",
    "explorer_routes",
    "html_page",
    "load_assets",
    "load_examples",
    "serve_asset",
    "wants_explorer",
]

# The vendored files stay at the top of the `gql` package (package data), beside the SDL.
PACKAGE_DIR = Path(__file__).parent.parent
STATIC_DIR = PACKAGE_DIR / "static"
VENDOR_DIR = STATIC_DIR / "graphiql"
EXAMPLES_DIR = PACKAGE_DIR / "examples"
ASSET_ROUTE_NAME = "graphiql-asset"
# Our own files beside the vendored ones: the results view (map, timeline, bar charts) and the
# start-up script, in the order the page loads them.
OWN_ASSETS = (
    "results-view.css",
    "results-shapes.js",
    "results-charts.js",
    "results-map.js",
    "results-view.js",
    "explorer.js",
)

# The page runs only our own script and the vendored files; GraphiQL itself sets inline styles
# and its CSS embeds its fonts as data: URIs. `connect-src 'self'` keeps the explorer talking
# to this server only. A browser enforcing this policy is the proof that nothing is fetched
# from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ]
)


@dataclass(frozen=True)
class Asset:
    """One file the explorer page loads, kept in memory as it is stored (maybe gzipped)."""

    name: str
    media_type: str
    body: bytes
    gzipped: bool

    @functools.cached_property
    def version(self) -> str:
        """A short content hash: the `?v=` cache-buster in asset URLs, and the ETag."""
        return hashlib.sha256(self.body).hexdigest()[:16]


@dataclass(frozen=True)
class Example:
    """An example operation shown in its own tab: `title` is its operation name."""

    title: str
    query: str
    #: "query" or "subscription" (a subscription runs over `/graphql/stream`).
    operation: str = "query"


@functools.cache
def load_assets() -> dict[str, Asset]:
    """The vendored files listed in `VERSIONS.json` (GraphiQL, the world outline) plus our own
    (`OWN_ASSETS`), by name."""
    manifest = json.loads((VENDOR_DIR / "VERSIONS.json").read_text(encoding="utf-8"))
    assets = {
        entry["served"]: Asset(
            name=entry["served"],
            media_type=entry["media_type"],
            body=(VENDOR_DIR / entry["stored"]).read_bytes(),
            gzipped=entry["stored"].endswith(".gz"),
        )
        for entry in manifest["assets"]
    }
    for name in OWN_ASSETS:
        assets[name] = Asset(
            name=name,
            media_type="text/css" if name.endswith(".css") else "text/javascript",
            body=(STATIC_DIR / name).read_bytes(),
            gzipped=False,
        )
    return assets


@functools.cache
def _decompressed(name: str) -> bytes:
    # Only for the rare client that does not accept gzip; browsers all do.
    return gzip.decompress(load_assets()[name].body)


def _named_operation(query: str) -> tuple[str, str]:
    """The first named operation's name and type ("query", "subscription")."""
    for definition in parse(query).definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            return definition.name.value, definition.operation.value
    raise ValueError("each example must be a named operation (its name titles the tab)")


@functools.cache
def load_examples() -> tuple[Example, ...]:
    """The example operations in `examples/*.graphql`, in file-name order."""
    examples = []
    for path in sorted(EXAMPLES_DIR.glob("*.graphql")):
        query = path.read_text(encoding="utf-8").strip() + "\n"
        title, operation = _named_operation(query)
        examples.append(Example(title=title, query=query, operation=operation))
    return tuple(examples)


def wants_explorer(request: Request) -> bool:
    """Whether a request to the endpoint is a browser opening it (GET, HTML, no query)."""
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def _asset_path(request: Request, name: str) -> str:
    # A path, not an absolute URL: it stays right behind proxies and under a root_path.
    asset = load_assets()[name]
    return f"{request.url_for(ASSET_ROUTE_NAME, name=name).path}?v={asset.version}"


def _json_for_script(value: object) -> str:
    # Inside <script>, only "</" could end the element early; JSON allows escaping "/".
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def explorer_page(request: Request, *, endpoint: str | None = None) -> HTMLResponse:
    """The explorer's HTML page; it sends queries to `endpoint` (default: the page's own path)
    and subscriptions to `endpoint`/stream (GraphQL over Server-Sent Events)."""
    examples = load_examples()
    endpoint = endpoint or request.url.path
    config = {
        "endpoint": endpoint,
        "streamEndpoint": endpoint.rstrip("/") + "/stream",
        "examples": [{"title": example.title, "query": example.query} for example in examples],
        "storageNamespace": "eventql-"
        + hashlib.sha256("".join(e.query for e in examples).encode()).hexdigest()[:12],
    }
    styles = "\n".join(
        f'    <link rel="stylesheet" href="{html.escape(_asset_path(request, name))}">'
        for name in ("graphiql.min.css", "plugin-explorer.css", "results-view.css")
    )
    scripts = "\n".join(
        f'    <script src="{html.escape(_asset_path(request, name))}"></script>'
        for name in (
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
            "plugin-explorer.umd.js",
            "world-110m.js",
            "results-shapes.js",
            "results-charts.js",
            "results-map.js",
            "results-view.js",
            "explorer.js",
        )
    )
    page = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>eventql · GraphQL explorer</title>
{styles}
    <style>
      body {{ margin: 0; height: 100vh; overflow: hidden; }}
      #graphiql {{ height: 100vh; }}
    </style>
  </head>
  <body>
    <div id="graphiql">Loading the explorer…</div>
    <noscript>The explorer needs JavaScript; the API answers POST {html.escape(endpoint)}
      with a JSON body {{"query": "…"}}.</noscript>
    <script id="explorer-config" type="application/json">{_json_for_script(config)}</script>
{scripts}
  </body>
</html>
"""
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )


def html_page(request: Request) -> Response | None:
    """The explorer page if the request is a browser opening the endpoint, else None."""
    return explorer_page(request) if wants_explorer(request) else None


async def serve_asset(request: Request) -> Response:
    """GET one explorer asset: gzipped as stored when the client accepts it, cached for a year
    (asset URLs carry a content hash, so a new version gets a new URL)."""
    asset = load_assets().get(request.path_params["name"])
    if asset is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    etag = f'"{asset.version}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
    }
    if asset.gzipped:
        headers["Vary"] = "Accept-Encoding"
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if not asset.gzipped:
        return Response(asset.body, media_type=asset.media_type, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.body, media_type=asset.media_type, headers=headers)
    return Response(_decompressed(asset.name), media_type=asset.media_type, headers=headers)


def explorer_routes(prefix: str = "/graphql/static") -> list[Route]:
    """Routes serving the explorer's assets under `prefix`; mount them before the endpoint."""
    return [Route(prefix + "/{name}", serve_asset, methods=["GET", "HEAD"], name=ASSET_ROUTE_NAME)]

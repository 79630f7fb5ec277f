"""All settings in one place: `EVENTQL_*` environment variables, validated at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import orjson
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

#: Where the SQLite database lives unless told otherwise: the current working directory.
DEFAULT_DATABASE_URL = "sqlite:///eventql.sqlite3"

#: URL schemes eventql connects with (`schema.db` picks pysqlite/aiosqlite or psycopg 3).
DATABASE_SCHEMES = (
    "sqlite",
    "sqlite+pysqlite",
    "sqlite+aiosqlite",
    "postgresql",
    "postgres",
    "postgresql+psycopg",
    "postgresql+psycopg2",
)
#: What `database_url` accepts, as said in its errors.
DATABASE_URLS_ACCEPTED = (
    "sqlite:///PATH (a file; sqlite:////abs/path for an absolute one) or "
    "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
)
#: What `read_replica_urls` accepts, as said in its errors.
REPLICA_URLS_ACCEPTED = (
    "PostgreSQL URLs (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE), comma-separated or "
    "as a JSON list; empty: every read goes to EVENTQL_DATABASE_URL"
)
#: What `cors_origins` accepts, as said in its errors.
CORS_ORIGINS_ACCEPTED = (
    "explicit origins (scheme://host[:port]), comma-separated "
    "(https://app.example,http://localhost:5173) or as a JSON list; empty turns CORS off"
)


class Settings(BaseSettings):
    """eventql's settings. Each field is read from `EVENTQL_<FIELD>` (case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="EVENTQL_", extra="ignore", frozen=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy-style URL: sqlite:///path or postgresql://user@host/db.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    seed_on_empty: bool = Field(
        default=True, description="Load the bundled seeds when serving an empty database."
    )
    graphiql: bool = Field(default=True, description="Serve the GraphiQL explorer at /graphql.")
    # NoDecode: the validator below reads the plain and comma-separated forms people type,
    # as well as a JSON list (pydantic-settings would otherwise insist on JSON).
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS; empty means CORS is off."
    )

    # Many hosts as one (README, "Read replicas and many hosts").
    read_replica_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="PostgreSQL streaming replicas that GraphQL queries read from (comma-"
        "separated or a JSON list); a replica behind the newest data version seen is skipped. "
        "Loads and persisted-query writes go to database_url, the primary.",
    )
    data_version_poll_s: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often a server reads the primary's data version (and each replica's), "
        "the version it reports in EventQL-Data-Version and holds replicas to.",
    )
    max_persisted_queries: int = Field(
        default=10_000,
        ge=1,
        description="Persisted queries kept in the database table shared by every worker and "
        "host; beyond it the oldest are deleted (clients register them again).",
    )

    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    max_depth: int = Field(default=12, ge=1, description="Deepest allowed selection nesting.")
    max_aliases: int = Field(default=50, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    max_nodes: int = Field(
        default=50_000, ge=1, description="Node budget: product of `first` down the nesting."
    )
    max_selections: int = Field(
        default=10_000,
        ge=1,
        description="Fields in a document once its fragments are expanded (so a chain of "
        "fragments spread twice each cannot grow exponentially).",
    )
    max_filter_conditions: int = Field(
        default=1_000,
        ge=1,
        description="Conditions in all filter arguments of a request together, variables "
        "included, counted once per field that uses them.",
    )
    max_filter_relations: int = Field(
        default=100,
        ge=0,
        description="Relation keys (`actor: {...}`, `event: {...}`, ...) in all filter "
        "arguments of a request together, counted as conditions are. Each is a subquery, and "
        "planning a statement grows faster than their number.",
    )
    max_list_size: int = Field(
        default=100,
        ge=1,
        description="Most items a list field without paging returns (participants, links, "
        "grouped totals, ...); each such list takes `first` up to this.",
    )
    max_batch: int = Field(default=10, ge=0, description="Operations per batched request.")
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    request_timeout_s: float = Field(
        default=15.0, gt=0, description="Deadline of a whole HTTP request, batches included."
    )
    max_cache_bytes: int = Field(
        default=64_000_000,
        ge=1_000_000,
        description="Bytes that the caches of documents, plans and persisted queries may hold "
        "together (estimated from the query text sizes).",
    )
    export_statement_timeout_ms: int = Field(
        default=120_000, ge=0, description="Statement timeout of a download; 0 disables it."
    )
    max_concurrent_exports: int = Field(
        default=4, ge=1, description="Downloads served at once; more are answered 503."
    )
    statement_timeout_ms: int = Field(default=5000, ge=0, description="0 disables it.")
    pool_size: int = Field(
        default=20, ge=1, description="Pooled connections per worker (bursts: as many again)."
    )
    pool_timeout_s: float = Field(
        default=5.0, gt=0, description="How long a request waits for a free connection."
    )
    connect_timeout_s: int = Field(default=3, ge=1, description="PostgreSQL connect timeout.")
    fast_path: bool = Field(
        default=True,
        description="Answer query operations with compiled plans (gql.fastpath) where they "
        "can; off: every operation runs through the general executor.",
    )

    # History: what each load that changes a dataset leaves behind (README, "History").
    history_keep: int = Field(
        default=50,
        ge=1,
        description="Versions per dataset whose record changes are kept; older versions keep "
        "their summary (number, time, hash, files, counts) and lose their change list.",
    )

    # Live updates (`gql.live`): subscriptions over WebSocket and Server-Sent Events.
    live_poll_ms: int = Field(
        default=250,
        ge=10,
        le=900,
        description="SQLite: how often each server process reads the data version (the newest "
        "dataset version's id) to learn of a load; well under a second, as delivery must be.",
    )
    live_fallback_poll_s: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="PostgreSQL: how often the data version is read besides LISTEN/NOTIFY, so "
        "a notification missed while the listener reconnects loses no version.",
    )
    max_subscriptions_per_connection: int = Field(
        default=100,
        ge=1,
        description="Operations running at once on one WebSocket (an SSE request runs one).",
    )
    max_subscriptions: int = Field(
        default=10_000,
        ge=1,
        description="Subscriptions running at once in one server process, over both transports.",
    )
    keep_alive_s: float = Field(
        default=15.0,
        gt=0,
        le=3600,
        description="How often an idle WebSocket is pinged and an idle SSE stream gets a "
        "comment line, so proxies keep it open and dead peers are found.",
    )
    connection_init_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="How long a WebSocket may wait before sending ConnectionInit (then it is "
        "closed with 4408).",
    )

    # Operations: what the server shows of itself (README, "Operations").
    metrics: bool = Field(
        default=True,
        description="Serve Prometheus metrics at /metrics (requests, latency, fast path, "
        "database pool, reseeds).",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Server log lines as text, or as JSON objects one per line; either way "
        "each line written while answering a request carries its X-Request-ID.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """A URL of a database eventql can use: SQLite or PostgreSQL."""
        try:
            scheme = make_url(value).drivername
        except ArgumentError:
            raise _invalid("not a database URL (it has no scheme such as sqlite:///)") from None
        if scheme not in DATABASE_SCHEMES:
            raise _invalid(f"eventql does not support {scheme!r} databases")
        return value

    @field_validator("read_replica_urls", mode="before")
    @classmethod
    def _replica_list(cls, value: Any) -> Any:
        """PostgreSQL URLs from a list, a JSON list, or comma-separated text."""
        return _listed(value, _replica_url, REPLICA_URLS_ACCEPTED)

    @field_validator("read_replica_urls")
    @classmethod
    def _replicas_of_postgresql(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """Read replicas are PostgreSQL streaming replicas, so the primary is PostgreSQL too."""
        primary = info.data.get("database_url")
        if value and isinstance(primary, str) and _scheme(primary).startswith("sqlite"):
            raise _invalid(
                "read replicas need a PostgreSQL EVENTQL_DATABASE_URL (the primary they "
                "replicate); SQLite has none",
                REPLICA_URLS_ACCEPTED,
            )
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: Any) -> Any:
        """A list of explicit origins from a list, a JSON list, or comma-separated text."""
        return _listed(value, _origin, CORS_ORIGINS_ACCEPTED)


def _listed(value: Any, item: Callable[[Any], Any], accepted: str) -> Any:
    """A list setting's items, each checked by `item`, from a list, a JSON list, or
    comma-separated text (blank items dropped)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as error:
                raise _invalid(f"not a JSON list: {error.msg}", accepted) from None
        else:
            value = text.split(",")
    if not isinstance(value, list | tuple):
        return value  # pydantic's own error: not a list
    return [item(entry) for entry in value if not (isinstance(entry, str) and not entry.strip())]


def _scheme(url: str) -> str:
    return make_url(url).drivername


def _replica_url(item: Any) -> Any:
    """One read replica's URL, checked: a PostgreSQL database."""
    if not isinstance(item, str):
        return item  # pydantic's own error: not a string
    url = item.strip()
    try:
        scheme = _scheme(url)
    except ArgumentError:
        # Not quoted back: it may hold a password (the value is shown masked as a whole).
        raise _invalid(
            "one is not a database URL (it has no scheme such as postgresql://)",
            REPLICA_URLS_ACCEPTED,
        ) from None
    if scheme not in DATABASE_SCHEMES or scheme.startswith("sqlite"):
        raise _invalid(f"{scheme!r} is not a PostgreSQL URL", REPLICA_URLS_ACCEPTED)
    return url


def _origin(item: Any) -> Any:
    """One CORS origin, checked: browsers send `scheme://host[:port]` and nothing else."""
    if not isinstance(item, str):
        return item  # pydantic's own error: not a string
    origin = item.strip()
    if origin == "*":
        # A public, read-only API could live with any origin, but a wildcard is one setting
        # (credentials) away from letting every site read what a logged-in user sees, and
        # Starlette then echoes each caller's origin back. Explicit origins stay auditable.
        raise _invalid(
            "'*' (any origin) is refused: list explicit origins of the apps that call the API",
            CORS_ORIGINS_ACCEPTED,
        )
    scheme, separator, rest = origin.partition("://")
    rest = rest[:-1] if rest.endswith("/") else rest  # a trailing slash is not part of it
    if not separator or scheme not in ("http", "https") or not rest or "/" in rest:
        raise _invalid(f"{origin!r} is not an origin (scheme://host[:port])", CORS_ORIGINS_ACCEPTED)
    return f"{scheme}://{rest}"


def _invalid(problem: str, accepted: str = DATABASE_URLS_ACCEPTED) -> PydanticCustomError:
    """A settings error saying what is wrong and, in its context, what is accepted."""
    return PydanticCustomError(
        "eventql_setting", "{problem}", {"problem": problem, "accepted": accepted}
    )

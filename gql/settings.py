"""All settings in one place: `EVENTQL_*` environment variables, validated at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Where the SQLite database lives unless told otherwise: the current working directory.
DEFAULT_DATABASE_URL = "sqlite:///eventql.sqlite3"


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
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty means CORS is off."
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

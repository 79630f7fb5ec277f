"""The database as the API sees it: an async engine, and one consistent snapshot per request.

Each GraphQL operation reads through a `Snapshot` (`Database.snapshot()`): one pooled
connection holding one read-only transaction — PostgreSQL `REPEATABLE READ READ ONLY`, SQLite
a deferred `BEGIN`, which in WAL mode keeps seeing the database as of its first read while a
loader writes. However many statements the operation's DataLoaders run, they all see the same
committed data: a reseed that commits half-way through a request is invisible to it, and
visible to the next one.

Statements on a snapshot run one at a time (an asyncio lock), and a request never holds more
than that one connection — it is taken at the first statement, so requests that need no data
take none — so concurrent requests cannot deadlock on the pool: at worst they queue, for at
most `pool_timeout_s`, and then fail with a clear error. Every failure is translated by
`gql.data.database_errors`; after one, the snapshot answers every further statement of the request
with the same error (on PostgreSQL the transaction is aborted anyway).

Runaway statements stop after `statement_timeout_ms`: PostgreSQL enforces its own
`statement_timeout`; on SQLite a progress handler interrupts the statement.

Plans on PostgreSQL: statements run as server-side prepared statements (the fast path
prepares its own at once, psycopg any other after five executions), and prepared statements
stay prepared across requests (read transactions end in COMMIT: see `Snapshot._commit`).
After five executions PostgreSQL may switch a prepared statement to its generic plan, one
planned without the parameters' values. `plan_cache_mode` is left at `auto` deliberately,
and the statements are written so that the generic plan is as good as a custom one: keyset
bounds are row-value comparisons that index scans start from (`gql.data.cursors`), LIMITs
and the stand-ins of sort expressions are written into the SQL, not bound, and each sort
field has its index (`schema.tables`). `tests/test_keyset_plans.py` forces the generic plan
for the paging statements the API sends and compares the rows read with the custom plan's.
The alternative, `force_custom_plan`, plans every execution anew: measured at 100,000
events, the reference statement took 2.4 ms per execution with it against 1.4 ms with
`auto` (1.1 ms generic), for no better plan.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import orjson
from sqlalchemy import (
    BigInteger,
    Result,
    Row,
    Select,
    any_,
    bindparam,
    event,
    func,
    make_url,
    select,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import Subquery

from gql import metrics
from gql.data.database_errors import translate
from gql.errors import DatabaseUnavailableError, LimitError, PublicError
from gql.execution.bounded_cache import BoundedCache
from gql.types.node import SQLITE_GLOBAL_ID, encode_id
from schema.db import create_async_db_engine, is_sqlite
from schema.search import plans_per_value

#: IDs for `Database.any_of`: the IDs, or a function returning them when the statement runs.
Ids = Sequence[int] | Callable[[], Sequence[int]]
#: SQLite VM instructions between two checks of the statement deadline (a fraction of a ms).
_PROGRESS_STEPS = 10_000
#: Statements compiled for `Snapshot.rows` (the fast path builds each statement once and
#: keeps it with its plan), the least recently used dropped first beyond 32 MB; a compiled
#: statement takes about 50 bytes per character of its SQL (measured with tracemalloc).
_COMPILED = BoundedCache(32_000_000)
_COMPILED_BYTES_PER_CHAR = 60
#: How a request that reads with several statements begins its transaction on PostgreSQL.
_BEGIN_POSTGRESQL = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
#: How it ends one that read without a failure (see `Snapshot._commit`).
_COMMIT_POSTGRESQL = "COMMIT"
#: Key of a pooled SQLite connection's `_Deadline` in its `info` dict.
_DEADLINE_KEY = "eventql.deadline"
#: Work that outlived its request (a statement being interrupted, a connection being given
#: back): strong references, so the tasks are not collected before they finish.
_BACKGROUND: set[asyncio.Future[Any]] = set()
#: How long disposing of the engine waits for that work (an interrupted statement stops in
#: milliseconds; one waiting on a SQLite lock, at the busy timeout).
_DISPOSE_WAIT_S = 10.0


def _in_background(task: asyncio.Future[Any]) -> None:
    """Let `task` finish on its own; its outcome is of no interest any more."""
    _BACKGROUND.add(task)
    task.add_done_callback(_forget)


def _forget(task: asyncio.Future[Any]) -> None:
    _BACKGROUND.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


class Database:
    """An async engine plus the dialect-specific pieces queries need.

    `all` and `scalar` on the database itself run each statement in a snapshot of its own
    (for one-off reads such as health checks); a request reads through `snapshot()`.
    """

    def __init__(
        self, engine: AsyncEngine, *, statement_timeout_ms: int = 0, pool_timeout_s: float = 30.0
    ) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.statement_timeout_ms = statement_timeout_ms
        self.pool_timeout_s = pool_timeout_s

    def snapshot(self) -> Snapshot:
        """A consistent view for one request; use it as `async with database.snapshot() as db`."""
        return Snapshot(self)

    def solo(self) -> None:
        """Say that the request reads with one statement only (see `Snapshot.solo`); each
        statement run on the database itself has its own snapshot anyway."""

    async def all(self, statement: Select[Any]) -> Sequence[Row[Any]]:
        """Run a SELECT and return all its rows."""
        async with self.snapshot() as snapshot:
            return await snapshot.all(statement)

    async def scalar(self, statement: Select[Any]) -> Any:
        """Run a SELECT and return the first column of its first row."""
        async with self.snapshot() as snapshot:
            return await snapshot.scalar(statement)

    async def rows(self, statement: Select[Any]) -> Sequence[Any]:
        """Run a SELECT and return its rows, to be read by position only (`Snapshot.rows`)."""
        async with self.snapshot() as snapshot:
            return await snapshot.rows(statement)

    def any_of(self, column: ColumnElement[Any], ids: Ids) -> ColumnElement[bool]:
        """`column IN ids` as one bound parameter, whatever the number of IDs.

        One parameter keeps the SQL text the same for every batch size (so statements are
        prepared once) and stays clear of SQLite's and PostgreSQL's parameter-count limits.
        `ids` may be a function returning the IDs, called each time the statement runs: then
        one statement object serves every batch (`gql.fastpath` builds its statements once).
        """
        if self.dialect == "sqlite":
            values = func.json_each(_id_json(ids)).table_valued("value")
            return column.in_(select(values.c.value))
        return column == any_(_id_array(ids))

    def each_of(self, ids: Ids) -> Subquery:
        """The distinct `ids` as rows of one column, `key`, from one parameter as in `any_of`
        (`json_each` on SQLite, `unnest` of an array on PostgreSQL): for statements that
        give each ID rows of its own (`gql.data.connections.nested_page_statement`)."""
        if self.dialect == "sqlite":
            values = func.json_each(_id_json(ids)).table_valued("value")
            return select(values.c.value.label("key")).distinct().subquery()
        keys = func.unnest(_id_array(ids)).table_valued("key").render_derived()
        return select(keys.c.key).distinct().subquery()

    async def dispose(self) -> None:
        """Close every pooled connection, once the statements of finished requests that are
        still being interrupted have given theirs back (`Snapshot.close`)."""
        metrics.forget_pool(self.engine)
        if _BACKGROUND:
            await asyncio.wait(list(_BACKGROUND), timeout=_DISPOSE_WAIT_S)
        await self.engine.dispose()


def _id_json(ids: Ids) -> BindParameter[Any]:
    """`ids` as one SQLite JSON text parameter, read when the statement runs if a function."""
    if callable(ids):
        late = ids
        return bindparam(None, callable_=lambda: orjson.dumps(list(late())).decode())
    return bindparam(None, orjson.dumps(list(ids)).decode())


def _id_array(ids: Ids) -> BindParameter[Any]:
    """`ids` as one PostgreSQL array parameter, read when the statement runs if a function."""
    if callable(ids):
        late = ids
        return bindparam(None, callable_=lambda: list(late()), type_=ARRAY(BigInteger))
    return bindparam(None, list(ids), type_=ARRAY(BigInteger))


class _Deadline:
    """When the running statement must stop; SQLite's progress handler asks `exceeded`."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at: float | None = None

    def exceeded(self) -> int:
        at = self.at
        return 1 if at is not None and time.monotonic() > at else 0


class Snapshot(Database):
    """One request's reads: one connection, one read-only transaction, one view of the data.

    The connection is taken at the first statement and given back by `close()` (or the end of
    an `async with` block); a closed snapshot refuses further statements.
    """

    def __init__(self, database: Database) -> None:
        super().__init__(
            database.engine,
            statement_timeout_ms=database.statement_timeout_ms,
            pool_timeout_s=database.pool_timeout_s,
        )
        self._lock = asyncio.Lock()
        self._connection: AsyncConnection | None = None
        self._deadline: _Deadline | None = None
        self._failure: PublicError | None = None
        self._closed = False
        self._solo = False
        self._began = False

    def solo(self) -> None:
        """Say that the request reads with one statement only (a compiled plan that lets the
        database write all its JSON): one statement sees one consistent state by itself, so
        it runs without a transaction of its own — two round trips fewer. Should a second
        statement come after all (the general executor answering instead), a transaction
        begins then, and everything from there on is read in it."""
        if self._connection is None:
            self._solo = True

    async def all(self, statement: Select[Any]) -> Sequence[Row[Any]]:
        """Run a SELECT in this snapshot and return all its rows."""
        rows: Sequence[Row[Any]] = (await self._execute(statement)).all()
        return rows

    async def scalar(self, statement: Select[Any]) -> Any:
        """Run a SELECT in this snapshot and return the first column of its first row."""
        return (await self._execute(statement)).scalar()

    async def rows(self, statement: Select[Any]) -> Sequence[Any]:
        """Run a SELECT in this snapshot and return its rows as tuples, read by position.

        What the fast path reads. On PostgreSQL the statement, compiled once, goes to the
        driver directly as a prepared statement: for a small statement SQLAlchemy's execution
        layer costs more than the driver. SQLAlchemy's cursor events are still fired (so
        statement logging and counting see it) and failures are raised as SQLAlchemy raises
        them (so they are translated, and a dead connection is retried, as any other).
        """
        if self.dialect == "sqlite":
            return await self.all(statement)
        result: Sequence[Any] = await self._execute(statement, direct=True)
        return result

    async def _execute(self, statement: Select[Any], *, direct: bool = False) -> Any:
        # The statement runs in a task of its own: when the request is cancelled (its time
        # limit), the request stops waiting at once, and `close()` interrupts the statement.
        # Cancelling the driver call itself would wait for the statement to stop anyway
        # (aiosqlite queues the cleanup behind it), and then throw the connection away.
        task = asyncio.ensure_future(self._run(statement, direct))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            _in_background(task)
            raise

    async def _run(self, statement: Select[Any], direct: bool) -> Any:
        async with self._lock:
            if self._failure is not None:
                raise type(self._failure)(self._failure.message)
            if self._closed:
                raise RuntimeError("this request's database snapshot is already closed")
            try:
                if self._connection is None:
                    return await self._first(statement, direct)
                if self._solo:
                    self._solo = False
                    await self._begin(self._connection)
                return await self._timed(self._connection, statement, direct)
            except Exception as error:
                public = translate(
                    error,
                    statement_timeout_ms=self.statement_timeout_ms,
                    pool_timeout_s=self.pool_timeout_s,
                )
                metrics.DATABASE_ERRORS.labels(_error_kind(error, public)).inc()
                if public is None:
                    raise
                self._failure = public
                raise public from None

    async def _first(self, statement: Select[Any], direct: bool) -> Any:
        # Connections are not pinged before use (a round trip per request): a pooled one that
        # died with a database restart shows at the first statement, which SQLAlchemy then
        # reports as a disconnect, discarding every connection of the pool made before it.
        # Nothing was read yet, so the statement is tried once more on a fresh connection.
        for attempt in (1, 2):
            try:
                self._connection = await self._open()
                if self._closed:  # the request ended while this was connecting
                    raise RuntimeError("this request's database snapshot is already closed")
                return await self._timed(self._connection, statement, direct)
            except DBAPIError as error:
                if attempt == 2 or not error.connection_invalidated:
                    raise
                connection, self._connection = self._connection, None
                if connection is not None:
                    await connection.close()
        raise AssertionError("unreachable")

    async def _timed(
        self, connection: AsyncConnection, statement: Select[Any], direct: bool = False
    ) -> Any:
        deadline = self._deadline
        if deadline is not None:
            deadline.at = time.monotonic() + self.statement_timeout_ms / 1000
        try:
            if direct:
                return await self._direct(connection, statement)
            result: Result[Any] = await connection.execute(statement)
        finally:
            if deadline is not None:
                deadline.at = None
        return result

    async def _direct(self, connection: AsyncConnection, statement: Select[Any]) -> list[Any]:
        compiled = _COMPILED.get(statement)
        if compiled is None:
            # A large statement (a filter of many conditions) takes a while to compile: not
            # on the event loop. The request may end meanwhile: then nothing is sent.
            compiled = await asyncio.to_thread(statement.compile, dialect=self.engine.dialect)
            if self._closed:
                raise RuntimeError("this request's database snapshot is already closed")
            size = _COMPILED_BYTES_PER_CHAR * len(compiled.string) + 10_000
            _COMPILED.put(statement, compiled, size)
        if compiled.post_compile_params or compiled.literal_execute_params:
            # Parameters SQLAlchemy expands at each execution (`IN` lists): its own path.
            rows_: list[Any] = list((await connection.execute(statement)).all())
            return rows_
        sql = compiled.string
        parameters = compiled.construct_params()
        processors: Any = compiled._bind_processors
        for name, value in parameters.items():
            if name in processors:
                parameters[name] = processors[name](value)
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # a psycopg AsyncConnection
        events = self.engine.sync_engine.dispatch
        if events.before_cursor_execute:
            events.before_cursor_execute(None, None, sql, parameters, None, False)
        try:
            cursor = driver.cursor()
            await cursor.execute(sql, parameters, prepare=not plans_per_value(compiled))
            rows: list[Any] = await cursor.fetchall()
        except Exception as error:
            lost = bool(driver.broken or driver.closed)
            if lost:
                await connection.invalidate()
            dbapi_error = self.engine.dialect.loaded_dbapi.Error
            raise DBAPIError.instance(
                sql, parameters, error, dbapi_error, connection_invalidated=lost
            ) from None
        if events.after_cursor_execute:
            events.after_cursor_execute(None, None, sql, parameters, None, False)
        return rows

    async def _open(self) -> AsyncConnection:
        connection = await self.engine.connect()
        try:
            if self.dialect == "sqlite" and self.statement_timeout_ms:
                await self._watch_sqlite(connection)
            if not self._solo:
                await self._begin(connection)
        except BaseException:
            await asyncio.shield(connection.close())
            raise
        return connection

    async def _begin(self, connection: AsyncConnection) -> None:
        """Begin the read-only transaction every further statement reads in.

        Sent to the driver directly, so it is not counted as one of the request's statements.
        Serving connections are in autocommit mode (pysqlite begins transactions only before
        writes; PostgreSQL connections are opened with AUTOCOMMIT, so that a request that
        reads with one statement sends nothing else), so the transaction is explicit; it is
        committed when the connection is given back (`_commit` says why not rolled back).
        """
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # an aiosqlite or psycopg async connection
        if self.dialect == "sqlite":
            cursor = await driver.execute("BEGIN")
            await cursor.close()
        else:
            try:
                # Never prepared: psycopg would prepare any text sent more than five times.
                await driver.execute(_BEGIN_POSTGRESQL, prepare=False)
            except Exception as error:
                # Reported as SQLAlchemy reports a failed statement: a dead connection is
                # thrown away (and retried, see `_first`), the error translated as any other.
                lost = bool(driver.broken or driver.closed)
                if lost:
                    await connection.invalidate()
                raise OperationalError(
                    _BEGIN_POSTGRESQL, None, error, connection_invalidated=lost
                ) from None
        self._began = True

    async def _commit(self, connection: AsyncConnection) -> None:
        """End a PostgreSQL read transaction with COMMIT, not the pool's ROLLBACK.

        Both end a read-only transaction alike, but after a ROLLBACK psycopg forgets every
        statement it prepared on the connection and sends `DEALLOCATE ALL` (a rolled-back
        transaction may have dropped what they refer to): the fast path's prepared
        statements were then prepared anew at every request that read with more than one
        statement, and the general executor's never reached psycopg's threshold
        (`prepare_threshold`, five executions) at all. After a COMMIT the connection is idle
        and the pool's rollback sends nothing. A request that failed is left to the pool:
        its transaction may be aborted, and rolling it back clears whatever it left.
        """
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        try:
            await driver.execute(_COMMIT_POSTGRESQL, prepare=False)
        except Exception:  # closing copes: the pool rolls back, or drops a broken connection
            pass

    async def _watch_sqlite(self, connection: AsyncConnection) -> None:
        """Let SQLite interrupt a statement that runs past `statement_timeout_ms`."""
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        deadline = raw.info.get(_DEADLINE_KEY)
        if deadline is None:
            deadline = raw.info[_DEADLINE_KEY] = _Deadline()
            await driver.set_progress_handler(deadline.exceeded, _PROGRESS_STEPS)
        self._deadline = deadline

    async def close(self) -> None:
        """End the transaction and give the connection back to the pool.

        A statement still running (a DataLoader batch outliving a timed-out request) is
        interrupted, and the connection goes back once it has stopped — in the background,
        so the request's answer does not wait for it (a statement waiting on a SQLite lock
        stops only at the busy timeout).
        """
        if self._closed:
            return
        self._closed = True
        if self._lock.locked():  # a statement (or the connecting) is under way
            if self._connection is not None:
                await self._interrupt(self._connection)
            if self._lock.locked():
                _in_background(asyncio.ensure_future(self._release()))
                return
        await self._release()

    async def _release(self) -> None:
        async with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                if self._began and self._failure is None and self.dialect != "sqlite":
                    await self._commit(connection)
                await connection.close()

    async def _interrupt(self, connection: AsyncConnection) -> None:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        try:
            if self.dialect == "sqlite":
                await driver.interrupt()
            else:
                await driver.cancel_safe(timeout=2.0)
        except Exception:  # the statement may have ended meanwhile; closing copes either way
            pass

    async def __aenter__(self) -> Snapshot:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.shield(self.close())


def _error_kind(error: Exception, public: PublicError | None) -> str:
    """The `kind` label of a failed statement in `eventql_database_errors_total`."""
    if isinstance(error, sa_exc.TimeoutError):
        return "pool_timeout"
    if isinstance(public, DatabaseUnavailableError):
        return "unavailable"
    if isinstance(public, LimitError):
        return "limit_exceeded"
    return "unexpected" if public is None else "bad_input"


def open_database(
    url: str,
    *,
    pool_size: int,
    statement_timeout_ms: int,
    pool_timeout_s: float = 5.0,
    connect_timeout_s: int = 3,
) -> Database:
    """An engine for serving: a pool of `pool_size` (+ as many again on bursts).

    A request holds at most one connection, so `2 * pool_size` requests can read at once; more
    wait up to `pool_timeout_s` for a connection, then fail with a clear error. After a
    PostgreSQL restart the pool recovers by itself (`Snapshot` retries a request's first
    statement once on a fresh connection), and connecting gives up after `connect_timeout_s`.
    """
    kwargs: dict[str, Any] = {}
    if make_url(url).database not in (None, "", ":memory:"):
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=pool_timeout_s)
    if not is_sqlite(url):
        # Transactions are begun explicitly by `Snapshot`, only for requests that need one.
        kwargs["isolation_level"] = "AUTOCOMMIT"
        # JIT off: PostgreSQL's JIT compile of a large filter took seconds that neither a
        # cancel nor statement_timeout interrupts (measured: 5.2 s, and a backend busy ~45 s
        # after its request's deadline); our statements are index-driven and gain nothing.
        options = ["-c jit=off"]
        if statement_timeout_ms:
            # A runaway query is cancelled by the server, not left holding a connection.
            options.append(f"-c statement_timeout={statement_timeout_ms}")
        kwargs["connect_args"] = {
            "connect_timeout": connect_timeout_s,
            "options": " ".join(options),
        }
    engine = create_async_db_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_functions)
    metrics.watch_pool(engine)  # its pool use, in /metrics
    return Database(
        engine, statement_timeout_ms=statement_timeout_ms, pool_timeout_s=pool_timeout_s
    )


def _sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    # PostgreSQL encodes global IDs itself (`gql.fastpath.inline`); SQLite has no base64.
    dbapi_connection.create_function(SQLITE_GLOBAL_ID, 2, encode_id, deterministic=True)

"""Open the SQLite file, apply numbered migrations and hand out transactions.

One aiosqlite connection serves the whole process. Every use of it goes
through an ``asyncio.Lock`` so that concurrent handlers never interleave
statements inside each other's transactions; at a cluster's scale (hundreds of
members) one connection is far from the bottleneck, and the benchmarks say so.

Book-keeping writes that need not be committed on their own (an update's
attempt count, the sender's "last seen") are *deferred*: inside
``deferring()`` (the inbox opens one per update), ``defer(write)`` holds the
write until the next ``transaction()`` of the same task, which runs it first,
so a tap costs the commits of its own work and of its "handled" mark, not one
more per piece of book-keeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

import aiosqlite

_LOGGER = logging.getLogger(__name__)
_FIRST_TABLE = re.compile(r"\bFROM\s+(\w+)", re.IGNORECASE)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000
STATS_VARIABLE = "REMBUG_DB_STATS"  # set to 1: count statements by kind and log the counts at close

Write = Callable[[aiosqlite.Connection], Awaitable[object]]
_DEFERRED: ContextVar[list[Write] | None] = ContextVar("rembug_deferred_writes", default=None)


def migration_files() -> list[tuple[int, str, str]]:
    """Return ``(number, name, sql)`` for every migration shipped, in order."""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ... without gaps: {numbers}")
    return found


async def fetch_int(conn: aiosqlite.Connection, sql: str, params: Sequence[object] = ()) -> int:
    """The one number a query that always returns one row gives (``SELECT COUNT(*) ...``, a pragma)."""
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise RuntimeError(f"the query returned no row: {sql}")
    return int(row[0])


def inserted_id(cursor: aiosqlite.Cursor) -> int:
    """The id SQLite gave the row an ``INSERT`` just added."""
    if cursor.lastrowid is None:
        raise RuntimeError("the statement inserted no row")
    return cursor.lastrowid


class Database:
    """The process's one SQLite connection, with WAL, foreign keys and a busy timeout."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.statements: Counter[str] = Counter()  # by first word, once count_statements() was called
        self.tables_read: Counter[str] = Counter()  # SELECTs by the first table they read

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Connect to ``path`` (creating its folder), set pragmas and migrate to the newest schema."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        # WAL keeps readers and the writer apart; synchronous=NORMAL in WAL mode is
        # durable against a killed process (only a power cut can drop the last commit).
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        # Deleted content (an inbox payload that carried a secret ballot) is overwritten, not left in free pages.
        await conn.execute("PRAGMA secure_delete = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        database = cls(conn, path)
        await database.migrate()
        if os.environ.get(STATS_VARIABLE) == "1":
            await database.count_statements()
        return database

    async def count_statements(self) -> None:
        """From now on, count every statement by kind (``statements``) and SELECTs by table (``tables_read``)."""
        await self._conn.set_trace_callback(self._count)

    def _count(self, statement: str) -> None:
        """Count one statement (runs on aiosqlite's thread)."""
        kind = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        self.statements[kind] += 1
        if kind == "SELECT":
            table = _FIRST_TABLE.search(statement)
            self.tables_read[table.group(1) if table else "?"] += 1

    async def close(self) -> None:
        """Close the connection (waits for a transaction under way); log the statement counts if kept."""
        async with self._lock:
            await self._conn.close()
        if self.statements:
            counts = ", ".join(f"{kind} {n}" for kind, n in sorted(self.statements.items()))
            _LOGGER.info("database statements: %s", counts)

    async def schema_version(self) -> int:
        """Return the number of the newest migration applied (``PRAGMA user_version``)."""
        async with self.read() as conn:
            return await fetch_int(conn, "PRAGMA user_version")

    async def migrate(self) -> list[str]:
        """Apply every migration newer than ``user_version``; return the names applied."""
        applied = []
        current = await self.schema_version()
        for number, name, sql in migration_files():
            if number <= current:
                continue
            async with self._lock:
                try:
                    # executescript runs the file as written; the version moves in the same
                    # transaction, so a failed migration leaves the schema as it was.
                    await self._conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
                except Exception:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            _LOGGER.info("applied migration %s", name)
            applied.append(name)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Yield the connection inside ``BEGIN IMMEDIATE``; commit on success, roll back on error.

        Writes deferred by this task run first, in the same transaction (and are
        held again if it rolls back).
        """
        async with self._lock:
            pending = _DEFERRED.get()
            taken = pending[:] if pending else []
            if pending:
                pending.clear()
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                for write in taken:
                    await write(self._conn)
                yield self._conn
                await self._conn.execute("COMMIT")
            except BaseException:
                # Also when cancelled while BEGIN or COMMIT was on its way: the connection must never be
                # left inside a transaction for the next holder of the lock.
                await self._roll_back()
                if pending is not None:
                    pending[:0] = taken
                raise

    async def _roll_back(self) -> None:
        """ROLLBACK whatever is open (nothing, if BEGIN never ran or COMMIT did), even if cancelled meanwhile."""

        async def roll_back() -> None:
            with contextlib.suppress(sqlite3.OperationalError):  # "no transaction is active"
                await self._conn.execute("ROLLBACK")

        done = asyncio.ensure_future(roll_back())  # queued before the lock can pass to anyone else
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(done)

    @contextmanager
    def deferring(self) -> Iterator[list[Write]]:
        """Within this block (and the tasks it starts), ``defer`` holds writes for the next transaction.

        Yields the list of writes still held; whoever opened the block commits
        what is left in a last transaction of its own (the inbox's mark).
        """
        pending: list[Write] = []
        token = _DEFERRED.set(pending)
        try:
            yield pending
        finally:
            _DEFERRED.reset(token)

    async def defer(self, write: Write) -> None:
        """Run ``write`` in this task's next transaction (inside ``deferring``), or now in one of its own."""
        pending = _DEFERRED.get()
        if pending is None:
            async with self.transaction() as tx:
                await write(tx)
        else:
            pending.append(write)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Yield the connection for reads outside a transaction."""
        async with self._lock:
            yield self._conn

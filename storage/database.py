"""Open the SQLite file, apply numbered migrations and hand out transactions.

One aiosqlite connection serves the whole process. Every use of it goes
through an ``asyncio.Lock`` so that concurrent handlers never interleave
statements inside each other's transactions; at a cluster's scale (hundreds of
members) one connection is far from the bottleneck, and the benchmarks say so.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

_LOGGER = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


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
        return database

    async def close(self) -> None:
        """Close the connection (waits for a transaction under way)."""
        async with self._lock:
            await self._conn.close()

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
        """Yield the connection inside ``BEGIN IMMEDIATE``; commit on success, roll back on error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Yield the connection for reads outside a transaction."""
        async with self._lock:
            yield self._conn

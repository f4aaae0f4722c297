"""The database migrates from empty, idempotently, with WAL and foreign keys."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest

from storage import drafts, inbox, users
from storage.database import Database, migration_files

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


async def test_migrates_an_empty_file_to_the_newest_version(tmp_path):
    db = await Database.open(tmp_path / "new.sqlite3")
    assert await db.schema_version() == len(migration_files())
    async with db.read() as conn:
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            tables = {row[0] for row in await cursor.fetchall()}
        async with conn.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
    assert {"users", "inbox", "ptb_conversations", "drafts", "clusters", "memberships"} <= tables
    await db.close()


async def test_migrating_again_applies_nothing_and_keeps_data(tmp_path):
    path = tmp_path / "again.sqlite3"
    db = await Database.open(path)
    async with db.transaction() as tx:
        await users.remember_user(tx, 1, "Siti", None, None, "id", NOW)
    await db.close()
    db = await Database.open(path)
    assert await db.migrate() == []
    async with db.read() as conn:
        assert (await users.get_user(conn, 1)).first_name == "Siti"
    await db.close()


async def test_a_failed_transaction_leaves_nothing_behind(database):
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await drafts.save_draft_answer(tx, 1, "flow", "name", "x", NOW)
            raise RuntimeError("boom")
    async with database.read() as conn:
        assert await drafts.get_draft(conn, 1, "flow") == {}


async def test_foreign_keys_are_enforced(database):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        async with database.transaction() as tx:
            await tx.execute(
                "INSERT INTO memberships (cluster_id, user_id, full_name, joined_at) VALUES (99, 99, 'x', 'y')"
            )


async def test_inbox_stores_an_update_once_and_lists_the_unhandled(database):
    async with database.transaction() as tx:
        await inbox.store_updates(tx, [(5, {"update_id": 5}), (6, {"update_id": 6})], NOW)
        await inbox.store_updates(tx, [(6, {"update_id": 6})], NOW)  # fetched twice
        await inbox.mark_handled(tx, 5, "handled", NOW)
    async with database.transaction() as tx:
        pending = await inbox.start_replays(tx)
        assert [(p.update_id, p.attempts) for p in pending] == [(6, 1)]
        assert await inbox.last_update_id(tx) == 6
    async with database.transaction() as tx:  # every restart counts as one more start
        assert [p.attempts for p in await inbox.start_replays(tx)] == [2]


async def test_a_deferred_write_joins_the_next_transaction_and_survives_a_rollback(database):
    async def note(update_id: int):
        async def write(tx):
            await tx.execute("INSERT INTO inbox (update_id, payload, received_at) VALUES (?, '{}', 'x')", (update_id,))

        return write

    async def stored() -> list[int]:
        async with database.read() as conn, conn.execute("SELECT update_id FROM inbox ORDER BY 1") as cursor:
            return [row[0] for row in await cursor.fetchall()]

    with database.deferring() as pending:
        await database.defer(await note(1))
        assert pending and await stored() == []  # held, not yet written
        with pytest.raises(RuntimeError):
            async with database.transaction():
                raise RuntimeError("the flow's write failed")
        assert pending and await stored() == []  # the rollback gave it back
        async with database.transaction() as tx, tx.execute("SELECT COUNT(*) FROM inbox") as cursor:
            assert (await cursor.fetchone())[0] == 1  # it ran first, inside this transaction
        assert not pending
    await database.defer(await note(2))  # outside deferring: written at once, in a transaction of its own
    assert await stored() == [1, 2]


async def test_draft_answers_accumulate_and_clear(database):
    async with database.transaction() as tx:
        await drafts.save_draft_answer(tx, 1, "f", "a", 1, NOW)
        draft = await drafts.save_draft_answer(tx, 1, "f", "b", "two", NOW)
    assert draft == {"a": 1, "b": "two"}
    async with database.transaction() as tx:
        await drafts.clear_draft(tx, 1, "f")
        assert await drafts.get_draft(tx, 1, "f") == {}


async def test_a_transaction_cancelled_at_any_point_leaves_the_connection_usable(database):
    """Cancelled while BEGIN, a write, or COMMIT is on its way (a stopping bot cancels what it still
    handles): the next transaction must not find one left open."""

    async def one_write(update_id: int) -> None:
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO inbox (update_id, payload, received_at) VALUES (?, '{}', 'x')", (update_id,))

    for steps in range(40):
        task = asyncio.create_task(one_write(1000 + steps))
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await one_write(steps)  # raised "cannot start a transaction within a transaction" before
    async with database.read() as conn, conn.execute("SELECT COUNT(*) FROM inbox WHERE update_id < 1000") as cursor:
        assert (await cursor.fetchone())[0] == 40

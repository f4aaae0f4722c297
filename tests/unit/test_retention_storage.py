"""Retention and wrong-code storage on a real SQLite file: what goes, and what is never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import drafts, join_attempts, retention
from storage.database import Database

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


async def test_wrong_codes_are_counted_per_person_once_per_update_and_pruned_after_a_week(tmp_path):
    db = await Database.open(tmp_path / "r.sqlite3")
    try:
        async with db.transaction() as tx:
            for n in range(3):
                await join_attempts.record_wrong_code(tx, 1, NOW - timedelta(minutes=n), update_id=10 + n)
            await join_attempts.record_wrong_code(tx, 1, NOW, update_id=10)  # a replay of update 10
            await join_attempts.record_wrong_code(tx, 2, NOW - timedelta(days=8), update_id=20)
        async with db.read() as conn:
            assert len(await join_attempts.wrong_codes_of(conn, 1, NOW - timedelta(minutes=10))) == 3
            assert await join_attempts.wrong_codes_since(conn, NOW - timedelta(days=7)) == join_attempts.WrongCodes(
                3, 1
            )
        async with db.transaction() as tx:
            assert await join_attempts.prune_wrong_codes(tx, NOW - timedelta(days=7)) == 1
    finally:
        await db.close()


async def test_only_drafts_untouched_for_the_period_go(tmp_path):
    db = await Database.open(tmp_path / "r.sqlite3")
    try:
        async with db.transaction() as tx:
            await drafts.save_draft_answer(tx, 1, "meeting", "topic", "old", NOW - timedelta(days=31))
            await drafts.save_draft_answer(tx, 1, "broadcast", "text", "fresh", NOW - timedelta(days=29))
            await drafts.save_draft_answer(tx, 2, "confirmations", "cluster:1:rotate", True, NOW - timedelta(days=40))
        async with db.transaction() as tx:
            gone = await retention.prune_drafts(tx, NOW - timedelta(days=30))
            assert sorted(gone) == [(1, "meeting"), (2, "confirmations")]
            assert await retention.draft_flows_of(tx, 1) == {"broadcast"}
    finally:
        await db.close()

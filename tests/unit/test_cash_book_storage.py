"""The cash book's storage on a real SQLite file: a replayed update records once, a reversal is the
opposite amount and happens once, the chair decides a pending entry once, budget lines and threshold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage import budgets, cash_book
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


async def _cluster(database) -> int:
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Dewi")])
    return seeded.cluster_id


async def _record(tx, cluster_id, amount, update_id=None, status="recorded"):
    entry, _new = await cash_book.record_entry(
        tx,
        cluster_id,
        direction="spending",
        amount=amount,
        occurred_on=date(2026, 11, 20),
        purpose="Kain mori",
        recorded_by=801,
        now=NOW,
        activity_key="activity:3",
        status=status,
        source_update_id=update_id,
    )
    return entry


async def test_a_reversal_is_the_opposite_amount_and_happens_once(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        entry = await _record(tx, cluster_id, 250_000, 71)
        assert await _record(tx, cluster_id, 250_000, 71) == entry
        reversal, new = await cash_book.reverse_entry(
            tx, entry, occurred_on=date(2026, 11, 23), purpose="Salah ketik", recorded_by=801, now=NOW
        )
        again, new_again = await cash_book.reverse_entry(
            tx, entry, occurred_on=date(2026, 11, 23), purpose="Salah ketik", recorded_by=801, now=NOW
        )
    assert new and not new_again and again == reversal
    assert (reversal.amount, reversal.reverses_id, reversal.activity_key) == (-250_000, entry.id, "activity:3")
    with pytest.raises(ValueError):
        async with database.transaction() as tx:
            await cash_book.reverse_entry(tx, reversal, occurred_on=NOW.date(), purpose="x", recorded_by=801, now=NOW)
    async with database.read() as conn:
        assert await cash_book.reversal_of(conn, entry.id) == reversal
        assert await cash_book.entry_count(conn, cluster_id) == 2
        assert [e.id for e in await cash_book.recent_entries(conn, cluster_id, 1)] == [reversal.id]


async def test_the_chair_decides_a_pending_entry_once(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        entry = await _record(tx, cluster_id, 9_000_000, status="pending")
    async with database.transaction() as tx:
        assert [e.id for e in await cash_book.pending_entries(tx, cluster_id)] == [entry.id]
        assert await cash_book.decide_entry(tx, entry.id, "rejected", 802, NOW)
        assert not await cash_book.decide_entry(tx, entry.id, "recorded", 802, NOW)
    async with database.read() as conn:
        found = await cash_book.get_entry(conn, entry.id)
    assert found is not None and found.status == "rejected"


async def test_budget_lines_are_replaced_and_the_threshold_can_be_removed(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        await budgets.set_line(tx, cluster_id, 2026, "income", "dues", 1_000_000, 801, NOW)
        await budgets.set_line(tx, cluster_id, 2026, "income", "dues", 1_200_000, 801, NOW)
        await budgets.set_line(tx, cluster_id, 2026, "spending", "other", 300_000, 801, NOW)
        await budgets.set_threshold(tx, cluster_id, 5_000_000, 801, NOW)
    async with database.read() as conn:
        assert await budgets.lines_of(conn, cluster_id, 2026) == [
            budgets.BudgetLine("income", "dues", 1_200_000),
            budgets.BudgetLine("spending", "other", 300_000),
        ]
        assert await budgets.lines_of(conn, cluster_id, 2027) == []
        assert await budgets.threshold_of(conn, cluster_id) == 5_000_000
    async with database.transaction() as tx:
        await budgets.set_threshold(tx, cluster_id, None, 801, NOW)
        with pytest.raises(ValueError):
            await budgets.set_line(tx, cluster_id, 2026, "income", "dues", -1, 801, NOW)
    async with database.read() as conn:
        assert await budgets.threshold_of(conn, cluster_id) is None

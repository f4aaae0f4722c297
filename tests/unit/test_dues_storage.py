"""The dues' storage on a real SQLite file: a replayed setting adds one, settings in the order made,
a period is paid once per member and cluster, and what one cash book entry paid."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from storage import cash_book, dues
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


async def _cluster(database) -> int:
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Ani")])
    return seeded.cluster_id


async def _entry(tx, cluster_id: int, amount: int, update_id: int) -> int:
    entry, _new = await cash_book.record_entry(
        tx,
        cluster_id,
        direction="income",
        amount=amount,
        occurred_on=NOW.date(),
        purpose="Iuran Ani",
        source="dues",
        recorded_by=801,
        now=NOW,
        source_update_id=update_id,
    )
    return entry.id


async def test_a_replayed_setting_adds_one_and_settings_come_in_the_order_made(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        first, new = await dues.set_terms(
            tx,
            cluster_id,
            amount=25_000,
            cadence="monthly",
            starts_on=NOVEMBER,
            set_by=801,
            now=NOW,
            source_update_id=7,
        )
        again, again_new = await dues.set_terms(
            tx,
            cluster_id,
            amount=25_000,
            cadence="monthly",
            starts_on=NOVEMBER,
            set_by=801,
            now=NOW,
            source_update_id=7,
        )
        later, _new = await dues.set_terms(
            tx,
            cluster_id,
            amount=30_000,
            cadence="monthly",
            starts_on=DECEMBER,
            set_by=801,
            now=NOW,
            source_update_id=8,
        )
    assert new and not again_new and first == again
    async with database.read() as conn:
        assert await dues.settings_of(conn, cluster_id) == [first, later]
        assert await dues.current_terms(conn, cluster_id) == later
        assert await dues.current_terms(conn, cluster_id + 1) is None


async def test_a_period_is_paid_once_whatever_setting_was_in_force(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        first, _new = await dues.set_terms(
            tx, cluster_id, amount=25_000, cadence="monthly", starts_on=NOVEMBER, set_by=801, now=NOW
        )
        entry = await _entry(tx, cluster_id, 50_000, 11)
        added = await dues.record_payments(tx, first, 802, [(NOVEMBER, 25_000), (DECEMBER, 25_000)], entry, 801, NOW)
        later, _new = await dues.set_terms(
            tx, cluster_id, amount=30_000, cadence="monthly", starts_on=DECEMBER, set_by=801, now=NOW
        )
        other = await _entry(tx, cluster_id, 30_000, 12)
        twice = await dues.record_payments(tx, later, 802, [(DECEMBER, 30_000)], other, 801, NOW)
    assert added == [NOVEMBER, DECEMBER] and twice == []
    async with database.read() as conn:
        assert await dues.paid_periods(conn, cluster_id, 802) == frozenset({NOVEMBER, DECEMBER})
        assert await dues.paid_by_member(conn, cluster_id) == {802: frozenset({NOVEMBER, DECEMBER})}
        paid = await dues.payments_of_entry(conn, entry)
    assert [(p.period, p.amount, p.terms_id) for p in paid] == [
        (NOVEMBER, 25_000, first.id),
        (DECEMBER, 25_000, first.id),
    ]


async def test_dues_are_whole_positive_rupiah_monthly_or_yearly(database):
    cluster_id = await _cluster(database)
    for amount, cadence in ((0, "monthly"), (25_000, "weekly")):
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as tx:
                await dues.set_terms(
                    tx, cluster_id, amount=amount, cadence=cadence, starts_on=NOVEMBER, set_by=801, now=NOW
                )

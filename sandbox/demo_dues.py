"""The demo cluster's dues: Rp 20.000 a month from this month; most members paid one to three months
(each payment in the cash book as dues income), a few have paid nothing, and the reminder is booked."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from conversations.dues import ledger, reminding, rules
from storage import cash_book, clusters, dues

AMOUNT = 20_000
BEHIND = 3  # the last few members have paid nothing yet


async def seed_dues(
    tx: aiosqlite.Connection, cluster_id: int, treasurer_id: int, member_ids: list[int], now: datetime
) -> None:
    """Set the dues, record who paid (one cash book entry each), and book the overdue reminder."""
    zone = (await clusters.load_cluster(tx, cluster_id)).timezone
    first = rules.months_after(ledger.local_day(now, zone), 0)
    stored, _new = await dues.set_terms(
        tx, cluster_id, amount=AMOUNT, cadence="monthly", starts_on=first, set_by=treasurer_id, now=now
    )
    found = await ledger.ledger_of(tx, cluster_id, now)
    assert found is not None
    for number, member_id in enumerate(member_ids[:-BEHIND]):
        months = rules.periods_from(found.schedule, first, rules.months_after(first, number % 3))
        entry, _added = await cash_book.record_entry(
            tx,
            cluster_id,
            direction="income",
            amount=rules.amount_for(found.schedule, months),
            occurred_on=found.today,
            purpose="Iuran",
            source="dues",
            recorded_by=treasurer_id,
            now=now,
        )
        priced = [(month, AMOUNT) for month in months]
        await dues.record_payments(tx, stored, member_id, priced, entry.id, treasurer_id, now)
    await reminding.plan_reminders(tx, found, now)

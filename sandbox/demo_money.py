"""The demo cluster's money: this year's budget and a few weeks of the cash book (dues, a sponsor, the
first spending), so the sandbox's 💰 Kas klaster shows a balance, a summary and downloads."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from storage import budgets, cash_book

BUDGET = (
    ("income", "initial", 5_000_000),
    ("income", "dues", 3_600_000),
    ("income", "apbd", 20_000_000),
    ("income", "sponsor", 5_000_000),
    ("spending", "other", 2_500_000),
)
# (days ago, direction, rupiah, what for, source)
ENTRIES = (
    (40, "income", 5_000_000, "Dana awal dari anggota pendiri", "initial"),
    (33, "income", 600_000, "Iuran bulan lalu (12 anggota)", "dues"),
    (30, "spending", 350_000, "Konsumsi pertemuan rutin", None),
    (21, "income", 2_500_000, "Sponsor Bank Jateng", "sponsor"),
    (12, "spending", 180_000, "Fotokopi katalog", None),
    (3, "income", 550_000, "Iuran bulan ini (11 anggota)", "dues"),
)


async def seed_money(tx: aiosqlite.Connection, cluster_id: int, recorder_id: int, now: datetime) -> None:
    """This year's budget and some entries recorded by ``recorder_id`` (the facilitator keeps the books)."""
    today = now.astimezone(ZoneInfo("Asia/Jakarta")).date()
    for direction, line, amount in BUDGET:
        await budgets.set_line(tx, cluster_id, today.year, direction, line, amount, recorder_id, now)
    for days_ago, direction, amount, purpose, source in ENTRIES:
        await cash_book.record_entry(
            tx,
            cluster_id,
            direction=direction,
            amount=amount,
            occurred_on=today - timedelta(days=days_ago),
            purpose=purpose,
            recorded_by=recorder_id,
            now=now,
            source=source,
        )

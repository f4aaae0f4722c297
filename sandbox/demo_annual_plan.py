"""The demo cluster's annual plan: a training, a study tour and the months a coordination meeting is
intended, so the calendar (📅 Annual plan on the organisation's page) has something in it."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from storage import annual_plans

COORDINATION_MONTHS = (3, 6, 9)  # with the regular meetings scheduled, FPESD's four a year


async def seed_annual_plan(
    tx: aiosqlite.Connection, cluster_id: int, facilitator_id: int, now: datetime, source_update_id: int
) -> None:
    """This year's training (dated), study tour (a month) and intended coordination months."""
    year = now.year
    await annual_plans.add_event(
        tx, cluster_id, year, "training", "Pelatihan pewarna alami", 12, (date(year, 12, 8), date(year, 12, 9)),
        facilitator_id, now, source_update_id,
    )  # fmt: skip
    await annual_plans.add_event(
        tx, cluster_id, year, "study_tour", "Studi banding ke Kampung Batik Pekalongan", 12, None,
        facilitator_id, now, source_update_id - 1,
    )  # fmt: skip
    for offset, month in enumerate(COORDINATION_MONTHS, start=2):
        await annual_plans.toggle_coordination(
            tx, cluster_id, year, month, "Pertemuan koordinasi rutin", facilitator_id, now, source_update_id - offset
        )

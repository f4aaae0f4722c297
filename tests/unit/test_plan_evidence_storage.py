"""Evidence of a check-in is kept whole: every piece in order, a replayed piece once, and the one piece a
check-in held before the evidence table moves into it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from storage import action_plans, plan_checkins
from storage.database import migration_files
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


async def _checkin(database):
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Dewi")])
    async with database.transaction() as tx:
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam", None, 801, NOW)
        activity = await action_plans.add_activity(tx, plan.id, "Pelatihan", "2026-12-01", "2027-05-31")
        checkin = await plan_checkins.record_checkin(
            tx, activity.id, date(2026, 12, 1), 802, {"status": "on_track", "note": None}, NOW
        )
    assert checkin is not None
    return plan, checkin


async def test_every_piece_is_kept_in_order_and_a_replayed_one_once(database):
    plan, checkin = await _checkin(database)
    async with database.transaction() as tx:
        await plan_checkins.add_evidence(tx, checkin.id, "photo", "AgAC1", "AQAD1", NOW)
        await plan_checkins.add_evidence(tx, checkin.id, "voice", "AwAC2", "AQAD2", NOW + timedelta(minutes=1))
        pieces = await plan_checkins.add_evidence(tx, checkin.id, "voice", "AwAC2-again", "AQAD2", NOW)
    assert [(p.position, p.kind, p.file_id) for p in pieces] == [(1, "photo", "AgAC1"), (2, "voice", "AwAC2")]
    async with database.read() as conn:
        by_checkin = await plan_checkins.evidence_of_plan(conn, plan.id)
        one = await plan_checkins.get_evidence(conn, pieces[1].id)
    assert by_checkin == {checkin.id: pieces} and one == pieces[1]


def test_the_one_piece_a_check_in_held_moves_into_the_evidence_table(tmp_path):
    files = migration_files()
    number = next(n for n, name, _sql in files if "check_in_evidence" in name)
    conn = sqlite3.connect(tmp_path / "old.sqlite3")
    for n, _name, sql in files:
        if n < number:
            conn.executescript(sql)
    conn.execute(
        "INSERT INTO plan_checkins (id, activity_id, period_start, owner_id, status, evidence_kind, evidence_file_id, "
        "created_at) VALUES (5, 1, '2026-12-01', 802, 'on_track', 'voice', 'AwAC9', '2026-12-01T02:00:00+00:00'), "
        "(6, 1, '2026-12-08', 802, 'on_track', NULL, NULL, '2026-12-08T02:00:00+00:00')"
    )
    conn.executescript(next(sql for n, _name, sql in files if n == number))
    rows = conn.execute("SELECT checkin_id, position, kind, file_id, added_at FROM plan_evidence").fetchall()
    assert rows == [(5, 1, "voice", "AwAC9", "2026-12-01T02:00:00+00:00")]
    columns = {row[1] for row in conn.execute("PRAGMA table_info(plan_checkins)")}
    assert "evidence_kind" not in columns and "evidence_file_id" not in columns
    conn.close()

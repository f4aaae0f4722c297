"""The supporters' storage on a real SQLite file: a replayed update adds one supporter, a suggestion is
decided once, removal keeps the row, members' and committees' reads, visits newest first and counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import committee_figures, committees, supporters, visits
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
BANK = {"name": "Bank Jateng", "kind": "bank", "services": ["finance"]}


async def _cluster(database) -> int:
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Dewi")])
    return seeded.cluster_id


async def test_a_replayed_update_adds_the_supporter_once(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        first = await supporters.add_supporter(tx, cluster_id, BANK, "confirmed", 801, NOW, 55)
        again = await supporters.add_supporter(tx, cluster_id, BANK, "confirmed", 801, NOW, 55)
    assert first == again and first.services == ("finance",)
    async with database.read() as conn:
        assert [s.name for s in await supporters.confirmed_supporters(conn, cluster_id)] == ["Bank Jateng"]
        assert (await supporters.find_by_name(conn, cluster_id, "bank jateng")) == first


async def test_a_suggestion_waits_and_is_decided_once(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        waiting = await supporters.add_supporter(tx, cluster_id, BANK, "suggested", 802, NOW, None)
    async with database.read() as conn:
        assert await supporters.confirmed_supporters(conn, cluster_id) == []
        assert [s.id for s in await supporters.suggested_by(conn, cluster_id, 802)] == [waiting.id]
        assert await supporters.suggested_by(conn, cluster_id, 801) == []
    async with database.transaction() as tx:
        assert await supporters.decide(tx, waiting.id, "confirmed", 801, NOW)
        assert not await supporters.decide(tx, waiting.id, "rejected", 801, NOW)
    async with database.read() as conn:
        assert [s.status for s in await supporters.confirmed_supporters(conn, cluster_id)] == ["confirmed"]


async def test_editing_and_removing_keep_the_row_for_its_visits(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        bank = await supporters.add_supporter(tx, cluster_id, BANK, "confirmed", 801, NOW, None)
        await supporters.set_services(tx, bank.id, ("finance", "training"), NOW)
        await supporters.set_field(tx, bank.id, "contact", "0271 1", NOW)
        await supporters.set_field(tx, bank.id, "area", None, NOW)
        with pytest.raises(ValueError):
            await supporters.set_field(tx, bank.id, "name", "x", NOW)
        assert await supporters.remove_supporter(tx, bank.id, NOW)
        assert not await supporters.remove_supporter(tx, bank.id, NOW)
    async with database.read() as conn:
        kept = await supporters.get_supporter(conn, bank.id)
        assert await supporters.list_supporters(conn, cluster_id) == []
    assert kept is not None and kept.status == "removed" and kept.contact == "0271 1"
    assert kept.services == ("finance", "training")


async def test_visits_come_newest_first_once_per_update_and_are_counted_for_the_committee(database):
    cluster_id = await _cluster(database)
    async with database.transaction() as tx:
        bank = await supporters.add_supporter(tx, cluster_id, BANK, "confirmed", 801, NOW, None)
        base = {"supporter_id": bank.id, "who": bank.name, "agreed": "kredit"}
        older, new = await visits.record_visit(
            tx, cluster_id, {**base, "kind": "visit", "visited_on": "2026-11-20"}, 801, NOW, 1
        )
        again, new_again = await visits.record_visit(
            tx, cluster_id, {**base, "kind": "visit", "visited_on": "2026-11-20"}, 801, NOW, 1
        )
        newer, _ = await visits.record_visit(
            tx, cluster_id, {**base, "kind": "call", "visited_on": "2026-11-23", "next_step": "kirim proposal",
                             "next_on": "2026-11-30"}, 801, NOW, 2,
        )  # fmt: skip
        committee, _new = await committees.create_committee(
            tx, name="FPESD", level="province", timezone="Asia/Jakarta", invite_code="FP1",
            created_by=801, now=NOW, source_update_id=-1,
        )  # fmt: skip
        await committees.toggle_cluster(tx, committee.id, cluster_id)
    assert new and not new_again and again == older
    assert newer.next_on is not None and newer.next_on.isoformat() == "2026-11-30"
    async with database.read() as conn:
        assert [v.id for v in await visits.visits_to_supporter(conn, bank.id)] == [newer.id, older.id]
        week = await committee_figures.visits(conn, committee.id, NOW - timedelta(days=7), NOW + timedelta(hours=1))
        assert week == {cluster_id: 2}
        assert (
            await committee_figures.visits(conn, committee.id, NOW + timedelta(hours=1), NOW + timedelta(days=1)) == {}
        )
        assert await visits.count_in_period(conn, cluster_id, NOW, NOW + timedelta(seconds=1)) == 2
        listed = await supporters.committee_supporters(conn, committee.id)
    assert [(name, s.name) for name, s in listed] == [("Sentra Batik Laweyan", "Bank Jateng")]

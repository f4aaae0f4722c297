"""Who saw what: the record's buttons and words, and its storage on a real SQLite file (a committee
reads its own clusters' entries and its own, never another committee's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.roles import Role
from conversations.access_log.rules import (
    COMMITTEE_APPOINTMENTS,
    Access,
    LogTap,
    access_of,
    file_kind,
    is_role_change,
    leaving_ends_roles,
    log_button,
    parse_log_button,
)
from conversations.access_log.views import SAYS, what
from storage import access_log, clusters, committees, memberships, users
from storage.database import Database

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "access.sqlite3")
    yield database
    await database.close()


def test_a_record_button_reads_back_as_the_page_it_shows():
    assert parse_log_button(log_button()) == LogTap(None, 0)
    assert parse_log_button(log_button(page=3)) == LogTap(None, 3)
    assert parse_log_button(log_button(7, 2)) == LogTap(7, 2)


def test_a_forged_or_malformed_record_button_is_none():
    for data in (
        None,
        "",
        "al1",
        "al1:k",
        "al1:k:x",
        "al1:k:-1",
        "al1:k:1:2",
        "al1:c:1",
        "al1:c:a:0",
        "al1:z:1",
        "al1:k:99999",
        "dr1:k:0",
    ):
        assert parse_log_button(data) is None, data


def test_downloads_and_role_changes_are_told_apart():
    assert is_role_change(Access.FACILITATOR_ADDED) and is_role_change("board_elected")
    assert not is_role_change(Access.DIRECTORY) and not is_role_change("something_new")
    assert access_of("survey_answers") is Access.SURVEY_ANSWERS and access_of("nonsense") is None
    assert COMMITTEE_APPOINTMENTS == {
        "chair": Access.COMMITTEE_CHAIR_APPOINTED,
        "secretary": Access.COMMITTEE_SECRETARY_APPOINTED,
    }


def test_leaving_is_recorded_only_when_a_role_ends_with_it():
    assert not leaving_ends_roles(frozenset({Role.MEMBER}))
    for role in (Role.FACILITATOR, Role.SECRETARY, Role.GROUP_LEADER):
        assert leaving_ends_roles(frozenset({Role.MEMBER, role}))


def test_every_kind_of_entry_says_what_happened():
    assert set(SAYS) == set(Access)


def test_file_kinds_are_named_as_owners_know_them():
    assert [file_kind(n) for n in ("a.xlsx", "b.csv", "c.pdf", "d.ZIP")] == ["Excel", "CSV", "PDF", "ZIP"]


async def _cluster(tx, name: str, code: str, facilitator: int):
    await users.remember_user(tx, facilitator, f"F{facilitator}", None, None, "id", NOW)
    return await clusters.create_cluster(
        tx,
        name=name,
        regency="Kota",
        province="Jateng",
        industry="batik",
        timezone="Asia/Makassar",
        invite_code=code,
        created_by=facilitator,
        full_name=f"Fasil {name}",
        now=NOW,
        source_update_id=-facilitator,
    )


async def test_a_committee_reads_its_clusters_and_its_own_entries_newest_first(db):
    async with db.transaction() as tx:
        ours = await _cluster(tx, "Ours", "OURS1111", 1)
        theirs = await _cluster(tx, "Theirs", "THEIRS11", 2)
        await users.remember_user(tx, 3, "Sari", None, None, "id", NOW)
        await memberships.join_cluster(tx, ours.id, 3, {"full_name": "Sari Anggota"}, NOW)
        made = []
        for number, cluster in enumerate((ours, theirs)):
            committee, _new = await committees.create_committee(
                tx,
                name=f"K{number}",
                level="district",
                timezone="Asia/Jakarta",
                invite_code=f"KOM{number}AAAA",
                created_by=1,
                now=NOW,
                source_update_id=-100 - number,
            )
            await committees.toggle_cluster(tx, committee.id, cluster.id)
            made.append(committee)
        await committees.join(tx, made[0].id, 3, "Sari Komite", "government", NOW)
        await access_log.record(tx, 1, ours.id, Access.DIRECTORY, "CSV", NOW)
        await access_log.record(
            tx, 1, ours.id, Access.SECRETARY_APPOINTED, "", NOW + timedelta(minutes=1), subject_id=3
        )
        await access_log.record(tx, 2, theirs.id, Access.FIRMS, "Excel", NOW + timedelta(minutes=2))
        await access_log.record(
            tx, 3, None, Access.PROGRAM_MATRIX, "", NOW + timedelta(minutes=3), committee_id=made[0].id
        )
    async with db.read() as conn:
        mine, total = await access_log.of_committee(conn, made[0].id)
        cluster_only, cluster_total = await access_log.of_cluster(conn, ours.id)
        second_page, _total = await access_log.of_cluster(conn, ours.id, offset=1, limit=1)
    assert total == 3 and [e.action for e in mine] == ["program_matrix", "secretary_appointed", "directory"]
    assert mine[0].actor_name == "Sari Komite" and mine[0].cluster_id is None and mine[0].timezone == "Asia/Jakarta"
    assert mine[1].actor_name == "Fasil Ours" and mine[1].subject_name == "Sari Anggota"
    assert mine[1].cluster_name == "Ours" and mine[1].timezone == "Asia/Makassar"
    assert cluster_total == 2 and [e.action for e in cluster_only] == ["secretary_appointed", "directory"]
    assert [e.action for e in second_page] == ["directory"]
    assert what("en", mine[1]) == "made <b>Sari Anggota</b> the secretary"
    assert what("id", mine[2]) == "mengunduh daftar anggota (CSV)"

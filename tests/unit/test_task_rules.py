"""Task rules and storage: the buttons parse (forged ones do not), who may hand out tasks, due days,
the reminder the day before at 09.00 local, what is overdue, the next agenda, the digest's count,
and a task stored once per update with its owners done once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.menu import GROUPS, MenuEntry, MenuFacts, keyboard, layout
from bot.roles import Role, Standing
from conversations.tasks import rules, views
from conversations.tasks.rules import Step, TaskTap
from storage import clusters, erasure, meetings, memberships, personal_data, tasks, users
from storage.database import Database
from storage.tasks import OpenTask, Owner, Task

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday, 10.00 WIB
JAKARTA, JAYAPURA = "Asia/Jakarta", "Asia/Jayapura"


def _task(task_id: int = 1, *, meeting: int = 1, due: date = date(2026, 11, 30), statuses=("open",), held=NOW) -> Task:
    owners = tuple(Owner(100 + i, f"Owner {i}", status) for i, status in enumerate(statuses))
    return Task(task_id, 1, meeting, "Kirim daftar harga", due, 7, NOW, owners, "Rapat", held)


def test_task_buttons_parse_and_forged_ones_do_not():
    assert rules.parse_tap("tk1:m:2") == TaskTap(Step.MEETINGS, page=2)
    assert rules.parse_tap("tk1:t:5:1") == TaskTap(Step.MEETING, 5, 1)
    assert rules.parse_tap("tk1:add:5") == TaskTap(Step.ADD, 5)
    assert rules.parse_tap("tk1:o:861:0") == TaskTap(Step.OWNER, 861, 0)
    assert rules.parse_tap("tk1:od") == TaskTap(Step.OWNERS_DONE)
    assert rules.parse_tap("tk1:d:14") == TaskTap(Step.DUE, 14)
    assert rules.parse_tap("tk1:done:3") == TaskTap(Step.DONE, 3)
    assert rules.parse_tap("tk1:mine:0") == TaskTap(Step.MINE, page=0)
    for forged in (
        None, "", "tk1", "tk1:x:1", "tk1:d:3", "tk1:done", "tk1:done:x", "tk1:done:1:2", "tk1:od:1",
        "tk1:t:5", "tk1:o:1:99999", "tk1:m:-1", "tk2:done:1", "sp1:done:1",
    ):  # fmt: skip
        assert rules.parse_tap(forged) is None, forged


def test_the_secretary_and_facilitators_hand_out_tasks_and_an_organiser_at_their_own_meeting():
    member = frozenset({Role.MEMBER})
    assert rules.may_assign(Standing(1, cluster_id=1, cluster_roles=member | {Role.SECRETARY}), organiser_id=9)
    assert rules.may_assign(Standing(1, cluster_id=1, cluster_roles=member | {Role.FACILITATOR}), organiser_id=9)
    leader = Standing(1, cluster_id=1, cluster_roles=member | {Role.GROUP_LEADER})
    assert rules.may_assign(leader, organiser_id=1) and not rules.may_assign(leader, organiser_id=9)
    assert not rules.may_assign(Standing(1, cluster_id=1, cluster_roles=member), organiser_id=1)
    assert not rules.may_manage_meeting(Standing(1, cluster_id=1, cluster_roles=member | {Role.SECRETARY}), 9)


def test_a_due_day_may_be_today_but_not_past_nor_more_than_a_year_away():
    today = date(2026, 11, 23)
    assert rules.due_problem(today, today) is None
    assert rules.due_problem(today - timedelta(days=1), today) == "past"
    assert rules.due_problem(today + timedelta(days=367), today) == "too_far"


def test_the_reminder_is_at_nine_the_day_before_in_the_clusters_zone_unless_that_has_passed():
    assert rules.reminder_at(date(2026, 11, 30), JAKARTA, NOW) == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    assert rules.reminder_at(date(2026, 11, 30), JAYAPURA, NOW) == datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    assert rules.reminder_at(date(2026, 11, 24), JAKARTA, NOW) is None  # 09.00 WIB today has passed
    assert rules.reminder_at(date(2026, 11, 23), JAKARTA, NOW) is None
    assert rules.reminder_expires(date(2026, 11, 30), JAKARTA) == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


def test_overdue_means_past_its_day_and_not_done_by_every_owner():
    today = date(2026, 12, 1)
    assert rules.is_overdue(_task(statuses=("done", "help")), today)
    assert not rules.is_overdue(_task(statuses=("done", "done")), today)
    assert not rules.is_overdue(_task(due=today, statuses=("open",)), today)
    assert rules.still_to_do(_task(statuses=("done", "help", "open"))) == [101, 102]


def test_the_next_meeting_brings_back_the_overdue_tasks_of_earlier_meetings_only():
    today = date(2026, 12, 1)
    earlier = _task(1, meeting=1, due=date(2026, 11, 30))
    its_own = _task(2, meeting=2, due=date(2026, 11, 30), held=NOW + timedelta(days=16))
    not_yet = _task(3, meeting=1, due=date(2026, 12, 5))
    later = _task(4, meeting=3, due=date(2026, 11, 30), held=NOW + timedelta(days=30))
    shown = rules.on_agenda([earlier, its_own, not_yet, later], 2, NOW + timedelta(days=16), today)
    assert shown == [earlier]
    lines = views.agenda_lines("id", [f"Tugas {n}" for n in range(5)])
    assert lines[0] == "📌 5 tugas terlambat dari pertemuan sebelumnya"
    assert lines[1:4] == ["   – Tugas 0", "   – Tugas 1", "   – Tugas 2"] and "2 lainnya" in lines[4]
    assert views.agenda_lines("id", []) == []


def test_the_digest_counts_overdue_tasks_per_cluster_by_each_clusters_own_date():
    late = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 23.30 WIB on the 30th, 01.30 WIT on the 1st
    rows = [
        OpenTask(1, JAKARTA, date(2026, 11, 30)),
        OpenTask(1, JAKARTA, date(2026, 11, 29)),
        OpenTask(2, JAYAPURA, date(2026, 11, 30)),
        OpenTask(3, JAKARTA, date(2026, 12, 5)),
    ]
    assert rules.late_per_cluster(rows, late) == {1: 1, 2: 1}
    assert views.digest_part("id", 2) == "2 tugas terlambat"


def test_a_meetings_tasks_are_counted_for_its_page():
    today = date(2026, 12, 1)
    listed = [_task(1, statuses=("done", "done")), _task(2, statuses=("help", "open")), _task(3, due=today)]
    assert rules.figures(listed, today) == rules.TaskFigures(total=3, done=1, late=1, help=1)
    assert views.organiser_line("id", rules.figures(listed, today)) == (
        "📌 3 tugas dibagikan: 1 selesai, 1 terlambat, 1 butuh bantuan"
    )
    assert views.organiser_line("id", rules.TaskFigures()) is None
    assert rules.toggled([3, 1], 2) == [1, 2, 3] and rules.toggled([1, 2], 2) == [1]


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "rembug.sqlite3")
    yield database
    await database.close()


async def _cluster_and_meeting(tx) -> tuple[int, int]:
    for uid, name in ((7, "Sari"), (101, "Dewi"), (102, "Budi")):
        await users.remember_user(tx, uid, name, None, None, "id", NOW)
    cluster = await clusters.create_cluster(
        tx, name="Sentra", regency="Solo", province="Jateng", industry="batik", timezone=JAKARTA,
        invite_code="TASKS001", created_by=7, full_name="Sari", now=NOW, source_update_id=-1,
    )  # fmt: skip
    for uid, name in ((101, "Dewi"), (102, "Budi")):
        await memberships.join_cluster(tx, cluster.id, uid, {"full_name": name}, NOW)
    meeting, _new = await meetings.create_meeting(
        tx, cluster_id=cluster.id, kind="regular", topic="Rapat", starts_at=NOW, place="Balai", latitude=None,
        longitude=None, agenda=None, audience={}, capacity=None, reminders=(), checkin_code="c0de0001",
        organiser_id=7, invitee_ids=[101, 102], now=NOW, source_update_id=-2,
    )  # fmt: skip
    return cluster.id, meeting.id


async def test_a_task_is_stored_once_per_update_and_each_owner_finishes_once(db):
    async with db.transaction() as tx:
        cluster_id, meeting_id = await _cluster_and_meeting(tx)
        task, new = await tasks.add_task(
            tx, cluster_id, meeting_id, "Kirim", date(2026, 11, 30), [101, 102], 7, NOW, 55
        )
        again, new_again = await tasks.add_task(
            tx, cluster_id, meeting_id, "Kirim", date(2026, 11, 30), [101], 7, NOW, 55
        )
    assert new and not new_again and again.id == task.id
    assert [(o.full_name, o.status) for o in again.owners] == [("Budi", "open"), ("Dewi", "open")]
    async with db.transaction() as tx:
        assert await tasks.mark_done(tx, task.id, 101, NOW)
        assert not await tasks.mark_done(tx, task.id, 101, NOW)  # a second tap, a replay
        assert await tasks.ask_help(tx, task.id, 102, "Harga?", NOW)
        assert not await tasks.ask_help(tx, task.id, 101, "late", NOW)  # done stays done
    async with db.read() as conn:
        stored = await tasks.get_task(conn, task.id)
        assert await tasks.count_open_of_owner(conn, cluster_id, 102) == 1
        assert await tasks.count_open_of_owner(conn, cluster_id, 101) == 0
        assert [t.id for t in await tasks.open_tasks_of_owner(conn, cluster_id, 102)] == [task.id]
        assert await tasks.open_tasks_of_owner(conn, cluster_id, 101) == []
        assert [t.id for t in await tasks.tasks_of_meeting(conn, meeting_id)] == [task.id]
    assert stored is not None and not stored.finished
    assert {o.user_id: (o.status, o.help_note) for o in stored.owners} == {101: ("done", None), 102: ("help", "Harga?")}
    async with db.transaction() as tx:
        await tasks.mark_done(tx, task.id, 102, NOW)
    async with db.read() as conn:
        assert await tasks.open_tasks_of_cluster(conn, cluster_id) == []


def test_the_menu_shows_my_tasks_with_their_count_first_only_while_some_are_open():
    member = Standing(1, cluster_id=1, cluster_name="Sentra", cluster_roles=frozenset({Role.MEMBER}))
    entries = [MenuEntry(f"e{n}", f"Entry {n}", "", f"x:{n}") for n in range(9)]
    entries.append(MenuEntry("mytasks", "📌 My tasks", "", "tk1:mine:0"))
    none_open = layout(entries, member, MenuFacts(clusters=1))
    assert all(button.callback_data != "tk1:mine:0" for button in none_open)
    two_open = layout(entries, member, MenuFacts(clusters=1, counts=(("mytasks", 2),)))
    assert two_open[0].callback_data == "tk1:mine:0"
    assert keyboard(two_open, "id").inline_keyboard[0][0].text == "📌 Tugas saya (2)"


def test_a_full_menu_keeps_my_tasks_in_its_group_and_the_group_shows_the_count():
    facilitator = Standing(
        1, cluster_id=1, cluster_name="Sentra", cluster_roles=frozenset({Role.MEMBER, Role.FACILITATOR})
    )
    entries = [MenuEntry(key, key, "", f"x:{key}") for group in GROUPS for key in group.entries if key != "mytasks"]
    entries.append(MenuEntry("mytasks", "📌 My tasks", "", "tk1:mine:0"))
    buttons = layout(entries, facilitator, MenuFacts(clusters=1, counts=(("mytasks", 2),)))
    assert len(buttons) <= 8
    home = next(button for button in buttons if any(e.key == "mytasks" for e in button.entries))
    assert home.group is not None and home.count == 2


async def test_an_owners_copy_holds_their_tasks_and_erasure_drops_their_help_note(db):
    async with db.transaction() as tx:
        cluster_id, meeting_id = await _cluster_and_meeting(tx)
        task, _new = await tasks.add_task(tx, cluster_id, meeting_id, "Kirim", date(2026, 11, 30), [102], 7, NOW, 56)
        await tasks.ask_help(tx, task.id, 102, "Harga kain naik", NOW)
    async with db.read() as conn:
        copy = await personal_data.personal_data(conn, 102)
    assert [(t["what"], t["status"], t["help_note"]) for t in copy.tasks] == [("Kirim", "help", "Harga kain naik")]
    async with db.transaction() as tx:
        await erasure.erase_person(tx, 102, NOW, ())
    async with db.read() as conn:
        stored = await tasks.get_task(conn, task.id)
    assert stored is not None and [o.help_note for o in stored.owners] == [None]

"""The annual plan's rules (buttons, the month calendar, the count of coordination meetings and its
warning, typed dates, changes since adoption), and the storage they read on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from conversations.annual_plan.rules import (
    Step,
    Tap,
    changed_since,
    coordination,
    in_month,
    intended_months,
    month_grid,
    parse_days,
    parse_tap,
    shift_month,
)
from storage import annual_plans
from storage.annual_plans import PlanActivity
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def _activity(key: str, kind: str, first: str, last: str | None = None) -> PlanActivity:
    return PlanActivity(key, kind, key, date.fromisoformat(first), date.fromisoformat(last or first))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("ap1:home", Tap(Step.HOME)),
        ("ap1:home:2027", Tap(Step.HOME, (2027,))),
        ("ap1:m:2026:12", Tap(Step.MONTH, (2026, 12))),
        ("ap1:add:2026:1", Tap(Step.ADD, (2026, 1))),
        ("ap1:vpm:4:9", Tap(Step.ADOPT, (4, 9))),
        ("ap1:vk", Tap(Step.SKIP)),
        ("ap1:m:2026:13", None),  # no thirteenth month
        ("ap1:m:2026", None),
        ("ap1:rt:1999:3", None),  # a year no plan has
        ("ap1:add:2026:2", None),  # only trainings and study tours are added
        ("ap1:mo:0", None),
        ("ap1:va:x", None),
        ("ap1:nope:1", None),
        ("og1:vm", None),
        (None, None),
    ],
)
def test_buttons_parse_into_typed_taps_and_forged_ones_do_not(data, expected):
    assert parse_tap(data) == expected


def test_months_move_across_the_year_end():
    assert shift_month(2026, 12, 1) == (2027, 1)
    assert shift_month(2026, 1, -1) == (2025, 12)
    assert shift_month(2026, 11, 14) == (2028, 1)


def test_the_month_grid_puts_an_activity_in_every_month_it_touches():
    long = _activity("activity:1", "action_plan", "2026-02-20", "2026-04-02")
    training = _activity("event:2", "training", "2026-03-12", "2026-03-14")
    meeting = _activity("meeting:3", "regular", "2026-03-01")
    grid = month_grid([training, long, meeting], 2026)
    assert [a.key for a in grid[3]] == ["activity:1", "meeting:3", "event:2"]  # earliest first
    assert [a.key for a in grid[2]] == [a.key for a in grid[4]] == ["activity:1"]
    assert grid[5] == [] and len(grid) == 12
    assert in_month([long], 2026, 1) == []


def test_coordination_meetings_count_scheduled_and_intended_once_per_month():
    activities = [
        _activity("meeting:1", "regular", "2026-03-10"),
        _activity("meeting:2", "workshop", "2026-04-10"),  # not a coordination meeting
        _activity("event:1", "coordination", "2026-03-01", "2026-03-31"),  # March already has one scheduled
        _activity("event:2", "coordination", "2026-06-01", "2026-06-30"),
        _activity("event:3", "training", "2026-06-01", "2026-06-30"),
    ]
    count = coordination(activities)
    assert (count.scheduled, count.intended, count.total) == (1, 1, 2)
    assert count.short  # fewer than FPESD's four: the plan warns
    assert intended_months(activities) == {3, 6}
    more = [*activities, _activity("event:4", "coordination", "2026-09-01", "2026-09-30")]
    more.append(_activity("meeting:5", "regular", "2026-12-10"))
    assert coordination(more).total == 4 and not coordination(more).short


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/3", (date(2026, 3, 12), date(2026, 3, 12))),
        ("12-14/3", (date(2026, 3, 12), date(2026, 3, 14))),
        ("28/2 – 2/3", (date(2026, 2, 28), date(2026, 3, 2))),
        ("14-12/3", None),  # ends before it starts
        ("31/2", None),
        ("Maret", None),
        ("", None),
    ],
)
def test_typed_dates_are_read_as_days_of_the_plan_year(typed, expected):
    assert parse_days(typed, 2026) == expected


def test_the_year_differs_from_its_adopted_version_when_an_activity_is_added_or_moved():
    adopted = [_activity("event:1", "training", "2026-03-12"), _activity("meeting:1", "regular", "2026-03-10")]
    assert not changed_since(adopted, list(reversed(adopted)))
    assert changed_since(adopted, [*adopted, _activity("event:2", "study_tour", "2026-05-01")])
    assert changed_since(adopted, [adopted[0], _activity("meeting:1", "regular", "2026-03-11")])


async def test_events_join_the_year_once_per_update_and_coordination_months_toggle(database):
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Dewi")])
    cluster = seeded.cluster_id
    async with database.transaction() as tx:
        first = await annual_plans.add_event(tx, cluster, 2026, "training", "Pewarna alami", 3, None, 801, NOW, 10)
        again = await annual_plans.add_event(tx, cluster, 2026, "training", "Pewarna alami", 3, None, 801, NOW, 10)
        for update_id in (11, 11, 12, 13):  # 11 replayed: ticked once; 12 unticks, 13 ticks again
            await annual_plans.toggle_coordination(tx, cluster, 2026, 6, "Rapat", 801, NOW, update_id)
    assert first == again
    async with database.read() as conn:
        activities = await annual_plans.plan_activities(conn, cluster, 2026)
        assert await annual_plans.plan_activities(conn, cluster, 2027) == []
    assert [(a.key.split(":")[0], a.kind, a.starts_on, a.ends_on) for a in activities] == [
        ("event", "training", date(2026, 3, 1), date(2026, 3, 31)),  # no dates: the whole month
        ("event", "coordination", date(2026, 6, 1), date(2026, 6, 30)),
    ]
    async with database.transaction() as tx:
        assert await annual_plans.remove_event(tx, first.id, NOW, 14)
        assert not await annual_plans.remove_event(tx, first.id, NOW, 15)
    async with database.read() as conn:
        assert [a.kind for a in await annual_plans.plan_activities(conn, cluster, 2026)] == ["coordination"]


async def test_a_version_keeps_its_snapshot_and_adoption_supersedes_an_open_one(database):
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={}, others=[(802, "Dewi")])
    cluster = seeded.cluster_id
    closes = NOW + timedelta(days=3)
    async with database.transaction() as tx:
        await annual_plans.add_event(tx, cluster, 2026, "study_tour", "Pekalongan", 12, None, 801, NOW, 20)
        one, new = await annual_plans.post_version(tx, cluster, 2026, 801, closes, NOW, 21)
        replayed, again = await annual_plans.post_version(tx, cluster, 2026, 801, closes, NOW, 21)
        await annual_plans.answer_version(tx, one.id, 802, "change", NOW)
        assert await annual_plans.comment_version(tx, one.id, 802, "Tambah pelatihan", NOW)
        await annual_plans.add_event(tx, cluster, 2026, "training", "Pemasaran", 10, None, 801, NOW, 22)
        two, _new = await annual_plans.post_version(tx, cluster, 2026, 801, closes, NOW, 23)
    assert new and not again and replayed.id == one.id
    assert [a.title for a in one.entries] == ["Pekalongan"]
    assert [a.title for a in two.entries] == ["Pemasaran", "Pekalongan"]
    async with database.read() as conn:
        versions = await annual_plans.versions_of(conn, cluster, 2026)
        answers = await annual_plans.responses_to(conn, one.id)
    assert [(v.number, v.status) for v in versions] == [(2, "consulting"), (1, "superseded")]
    assert [(a.full_name, a.answer, a.comment) for a in answers] == [("Dewi", "change", "Tambah pelatihan")]

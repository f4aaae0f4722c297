"""The committee's digest and report figures on a fixed data set, and its schedule arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from conversations.committee import rules
from conversations.committee.rules import ClusterFigures
from storage import committee_figures, committees, forms, meetings, memberships, surveys, users
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 30 Nov 2026, 08.00 WIB


def test_attendance_rate_and_survey_trend():
    assert rules.attendance_rate(4, 3) == 75.0
    assert rules.attendance_rate(3, 1) == 33.3
    assert rules.attendance_rate(0, 0) is None
    assert rules.survey_trend([]) == (None, None)
    assert rules.survey_trend([3.19]) == (3.19, None)
    assert rules.survey_trend([3.5, 3.19, 3.44]) == (3.44, 0.25)


def test_coordination_meetings_against_four_a_year():
    assert rules.coordination_progress(1, date(2026, 2, 10)) == (1, 1)
    assert rules.coordination_progress(1, date(2026, 8, 1)) == (1, 3)
    assert rules.coordination_progress(5, date(2026, 12, 31)) == (5, 4)


def test_news_and_which_clusters_a_digest_shows():
    quiet = ClusterFigures(1, "Sentra A", members=20)
    busy = ClusterFigures(2, "Sentra B", members=10, new_members=1)
    late = ClusterFigures(3, "Sentra C", members=12, held=1, invited=10, attended=3, overdue=2, non_submitters=("Ani",))
    assert not rules.is_news(quiet) and rules.is_news(busy) and rules.is_news(late)
    assert rules.attention(late) == 2 * 2 + 3 + 1  # overdue, attendance under half, one non-submitter
    shown, more = rules.pick_for_digest([quiet, busy, late], limit=2)
    assert [f.name for f in shown] == ["Sentra C", "Sentra A"] and more == 1


@pytest.mark.parametrize(("zone", "utc_hour"), [("Asia/Jakarta", 1), ("Asia/Makassar", 0), ("Asia/Jayapura", 23)])
def test_the_next_digest_is_the_committees_weekday_and_hour_in_its_zone(zone, utc_hour):
    at = rules.next_digest_at(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), weekday=0, hour=8, zone=zone)
    expected_day = 30 if utc_hour != 23 else 29  # 08.00 WIT on Monday is 23.00 UTC on Sunday
    assert at == datetime(2026, 11, expected_day, utc_hour, 0, tzinfo=UTC)
    assert rules.next_digest_at(at, 0, 8, zone) == at + timedelta(days=7)  # strictly after
    assert rules.digest_period(at - timedelta(days=1), zone) == "2026-W48"


def test_quarters_and_when_their_report_is_due():
    start, end = rules.quarter_bounds(2026, 4, "Asia/Jakarta")
    assert (start.isoformat(), end.isoformat()) == ("2026-10-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00")
    assert rules.report_due(2026, 4, "Asia/Makassar").astimezone(UTC) == datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    assert rules.quarter_of(date(2026, 11, 23)) == (2026, 4)


async def test_figures_of_a_committees_clusters_from_the_database(database):
    """Two clusters, one of another committee: attendance, new members, non-submitters, coordination meetings."""
    week_ago = NOW - timedelta(days=7)
    a = await seed_cluster(
        database,
        week_ago - timedelta(days=60),
        facilitator=(1, "Fasil A"),
        groups={"G": [(11, "Ani"), (12, "Bayu"), (13, "Citra")]},
        name="Sentra A",
        code="AAAA1111",
    )
    b = await seed_cluster(
        database,
        week_ago - timedelta(days=60),
        facilitator=(2, "Fasil B"),
        groups={"H": [(21, "Dodi")]},
        name="Sentra B",
        code="BBBB1111",
    )
    elsewhere = await seed_cluster(
        database, week_ago, facilitator=(3, "Fasil C"), groups={"I": [(31, "Eka")]}, name="Sentra C", code="CCCC1111"
    )
    async with database.transaction() as tx:
        await users.remember_user(tx, 14, "Dewi", None, None, "id", NOW)
        await memberships.join_cluster(
            tx, a.cluster_id, 14, {"full_name": "Dewi"}, NOW - timedelta(days=2)
        )  # new this week
        committee, _new = await committees.create_committee(
            tx,
            name="FEDEP",
            level="district",
            timezone="Asia/Jakarta",
            invite_code="FEDEP111",
            created_by=1,
            now=NOW,
            source_update_id=1,
        )
        for cluster in (a, b):
            await committees.toggle_cluster(tx, committee.id, cluster.cluster_id)
        for n, (cluster, kind, invitees, present, when) in enumerate(
            [
                (a, "regular", [11, 12, 13, 14], [11, 12, 13], NOW - timedelta(days=3)),  # this week: 3 of 4
                (a, "committee", [11, 12], [11], NOW - timedelta(days=40)),  # an earlier coordination meeting
                (b, "committee", [21], [], NOW - timedelta(days=1)),  # this week: nobody came
                (elsewhere, "committee", [31], [31], NOW - timedelta(days=1)),  # another committee's cluster
            ]
        ):
            meeting, _new = await meetings.create_meeting(
                tx,
                cluster_id=cluster.cluster_id,
                kind=kind,
                topic=f"Rapat {n}",
                starts_at=when,
                place="Balai",
                latitude=None,
                longitude=None,
                agenda=None,
                audience={},
                capacity=None,
                reminders=(),
                checkin_code=f"code{n}",
                organiser_id=1,
                invitee_ids=invitees,
                now=when - timedelta(days=5),
                source_update_id=100 + n,
            )
            for uid in present:
                await meetings.check_in(tx, meeting.id, uid, "link", when)
        survey_round, _new = await surveys.open_round(
            tx,
            cluster_id=a.cluster_id,
            form_id="annex1",
            form_version=1,
            title="Survei",
            closes_at=None,
            opened_by=1,
            now=week_ago,
            source_update_id=200,
        )
        for uid in (1, 11):
            response = await forms.start_response(
                tx,
                form_id="annex1",
                form_version=1,
                subject=survey_round.subject,
                respondent_id=uid,
                respondent_name=None,
                entered_by=uid,
                now=week_ago,
            )
            await forms.submit(tx, response.id, week_ago)
    async with database.read() as conn:
        members = await committee_figures.members(conn, committee.id, week_ago, NOW)
        held = await committee_figures.meetings(conn, committee.id, week_ago, NOW)
        year = await committee_figures.meetings(
            conn, committee.id, datetime(2026, 1, 1, tzinfo=UTC), NOW, kind=rules.COORDINATION_KIND
        )
        missing = await committee_figures.survey_non_submitters(conn, committee.id, NOW)
        people = await committee_figures.facilitators(conn, committee.id)
    assert members == {a.cluster_id: (5, 1), b.cluster_id: (2, 0)}
    assert held[a.cluster_id] == committee_figures.Meetings(1, 4, 3) and held[
        b.cluster_id
    ] == committee_figures.Meetings(1, 1, 0)
    assert rules.attendance_rate(held[a.cluster_id].invited, held[a.cluster_id].attended) == 75.0
    assert {cluster: m.held for cluster, m in year.items()} == {a.cluster_id: 1, b.cluster_id: 1}  # not Sentra C's
    assert missing == {a.cluster_id: ["Bayu", "Citra", "Dewi"]}  # Fasil A and Ani sent theirs
    assert people == {1: [a.cluster_id], 2: [b.cluster_id]}


def test_a_comparison_page_button_parses_and_a_forged_one_does_not():
    assert rules.parse_tap("cm1:cmp:7") == rules.CommitteeTap(rules.Step.COMPARE, 7)
    assert rules.parse_tap("cm1:cmp:7:3") == rules.CommitteeTap(rules.Step.COMPARE, 7, page=3)
    for forged in (None, "", "cm1:cmp", "cm1:cmp:x", "cm1:cmp:7:-1", "cm1:cmp:7:99999", "cm1:cmp:7:1:2", "cm1:cx:7"):
        assert rules.parse_tap(forged) is None


def test_every_committee_button_parses_to_what_it_names():
    Tap, Step = rules.CommitteeTap, rules.Step
    assert rules.parse_tap("cm1:home") == Tap(Step.HOME)
    assert rules.parse_tap("cm1:c:4") == Tap(Step.OVERVIEW, 4)
    assert rules.parse_tap("cm1:d:4:12") == Tap(Step.DETAIL, 4, cluster_id=12)
    assert rules.parse_tap("cm1:rep:4:q") == Tap(Step.REPORT, 4, report=rules.Report.QUARTER)
    assert rules.parse_tap("cm1:ct:4:12") == Tap(Step.TOGGLE_CLUSTER, 4, cluster_id=12)
    assert rules.parse_tap("cm1:as:4:1017:s") == Tap(Step.APPOINT, 4, user_id=1017, role="secretary")
    assert rules.parse_tap("cm1:sch:4") == Tap(Step.SCHEDULE, 4)
    assert rules.parse_tap("cm1:sd:4:0") == Tap(Step.SCHEDULE_DAY, 4, day=0)
    assert rules.parse_tap("cm1:sh:4:6:19") == Tap(Step.SCHEDULE_HOUR, 4, day=6, hour=19)
    assert rules.parse_tap("cm1:lv:district") == Tap(Step.LEVEL, level="district")
    assert rules.parse_tap("cm1:tz:WITA") == Tap(Step.ZONE, zone="Asia/Makassar")
    assert rules.parse_tap("cm1:j:abc123:core_firm") == Tap(Step.JOIN, join=rules.JoinTap("ABC123", "core_firm"))


def test_a_forged_or_malformed_committee_button_parses_to_nothing():
    for forged in (
        "bs1:c:4",  # another flow's
        "cm1",
        "cm1:home:1",
        "cm1:zz:4",
        "cm1:c",
        "cm1:c:0",
        "cm1:c:x",
        "cm1:c:4:5",
        "cm1:d:4",
        "cm1:d:4:x",
        "cm1:rep:4",
        "cm1:rep:4:month",
        "cm1:as:4:1017:x",
        "cm1:as:4:x:c",
        "cm1:sd:4:7",  # Monday is 0, Sunday 6
        "cm1:sh:4:1:10",  # not an hour offered
        "cm1:sh:4:1",
        "cm1:lv:village",
        "cm1:tz:UTC",
        "cm1:j:FORGED",
        "cm1:j:FORG-ED:core_firm",
        "cm1:j:FORGED:king",
    ):
        assert rules.parse_tap(forged) is None, forged


def test_a_report_tap_asks_for_this_quarter_or_this_year():
    assert rules.report_period(date(2026, 11, 23), rules.Report.QUARTER) == (2026, 4)
    assert rules.report_period(date(2026, 2, 1), rules.Report.YEAR) == (2026, None)


def test_a_second_report_tap_waits_while_it_is_made_and_for_a_minute_after():
    assert rules.report_refusal(busy=False, last_sent=None, now=100.0) is None
    assert rules.report_refusal(busy=True, last_sent=None, now=100.0) == "busy"
    assert rules.report_refusal(busy=False, last_sent=50.0, now=100.0) == "just_sent"
    assert rules.report_refusal(busy=False, last_sent=40.0, now=100.0) is None


def test_the_administrator_toggles_only_known_clusters_and_appoints_only_members():
    toggle = rules.parse_tap("cm1:ct:4:12")
    assert toggle is not None
    assert rules.toggled_cluster(toggle, {12, 13}) == 12
    assert rules.toggled_cluster(toggle, {13}) is None
    assert rules.toggled_cluster(rules.CommitteeTap(rules.Step.CLUSTERS, 4), {12}) is None
    appoint = rules.parse_tap("cm1:as:4:1017:c")
    assert appoint is not None
    assert rules.appointment(appoint, {1017, 1018}) == (1017, "chair")
    assert rules.appointment(appoint, {1018}) is None
    assert rules.appointment(rules.CommitteeTap(rules.Step.APPOINTMENTS, 4), {1017}) is None


def test_one_clusters_figures_are_found_among_the_committees():
    a, b = ClusterFigures(1, "A"), ClusterFigures(2, "B")
    assert rules.figures_of([a, b], 2) == b
    assert rules.figures_of([a, b], 3) is None
    assert rules.figures_of([a, b], None) is None


def test_coordination_meetings_count_from_the_local_new_year():
    start = rules.year_start(datetime(2026, 6, 1, 3, 0, tzinfo=UTC), "Asia/Jakarta")
    assert start.isoformat() == "2026-01-01T00:00:00+07:00"

"""Cadence arithmetic of action-plan check-ins, indicator progress and versions, on fixed datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from conversations.plans import rules

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


@pytest.mark.parametrize(("zone", "utc_hour"), [(WIB, 2), (WITA, 1), (WIT, 0)])
def test_a_weekly_period_starts_on_monday_at_local_midnight(zone, utc_hour):
    start = rules.period_start(date(2026, 11, 26), "weekly", date(2026, 11, 1))
    assert start == date(2026, 11, 23)
    low, high = rules.period_bounds(start, "weekly", zone)
    assert low.astimezone(rules.ZoneInfo(zone)).hour == 0
    assert (high - low).days == 7
    # 09.00 local on the Monday, in UTC: WIB 02.00, WITA 01.00, WIT 00.00
    assert rules.prompt_at(start, 9, zone) == datetime(2026, 11, 23, utc_hour, 0, tzinfo=UTC)


def test_a_check_in_late_on_sunday_belongs_to_the_week_in_the_cluster_zone():
    sunday_night_wit = datetime(2026, 11, 29, 14, 30, tzinfo=UTC)  # Sun 23.30 WIT, Sun 21.30 WIB
    assert rules.in_period(sunday_night_wit, date(2026, 11, 23), "weekly", WIT)
    monday_early_wit = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # Mon 00.30 WIT, still Sunday in WIB
    assert not rules.in_period(monday_early_wit, date(2026, 11, 23), "weekly", WIT)
    assert rules.in_period(monday_early_wit, date(2026, 11, 23), "weekly", WIB)


def test_two_week_and_monthly_periods():
    anchor = date(2026, 11, 25)  # a Wednesday: two-week periods count from Monday 23 Nov
    assert rules.period_start(date(2026, 12, 6), "biweekly", anchor) == date(2026, 11, 23)
    assert rules.period_start(date(2026, 12, 7), "biweekly", anchor) == date(2026, 12, 7)
    assert rules.period_start(date(2027, 2, 17), "monthly", anchor) == date(2027, 2, 1)
    assert rules.next_period(date(2027, 1, 1), "monthly") == date(2027, 2, 1)
    assert rules.next_period(date(2027, 12, 1), "monthly") == date(2028, 1, 1)


def test_the_first_prompt_is_the_next_one_ahead_and_inside_the_activity():
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Mon 10.00 WIB: today's 09.00 prompt has passed
    first = rules.first_prompt_period(now, date(2026, 11, 1), date(2027, 3, 31), "weekly", date(2026, 11, 1), 9, WIB)
    assert first == date(2026, 11, 30)
    assert rules.first_prompt_period(
        now, date(2026, 11, 1), date(2027, 3, 31), "weekly", date(2026, 11, 1), 12, WIB
    ) == date(2026, 11, 23)
    assert (
        rules.first_prompt_period(now, date(2026, 11, 1), date(2026, 11, 28), "weekly", date(2026, 11, 1), 9, WIB)
        is None
    )
    assert rules.follows(date(2027, 3, 29), "weekly", date(2027, 3, 31)) is None


def test_no_prompt_after_a_check_in_in_the_period():
    assert not rules.needs_prompt({date(2026, 11, 23)}, date(2026, 11, 23))
    assert rules.needs_prompt({date(2026, 11, 16)}, date(2026, 11, 23))


def test_snooze_later_today_or_tomorrow():
    morning = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09.00 WIB
    assert rules.snooze_until(morning, "today", 9, WIB) == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert rules.snooze_until(morning, "tomorrow", 9, WIB) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 19.00 WIB: three hours on is past 21.00
    assert rules.snooze_until(evening, "today", 9, WIB) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert rules.snooze_until(morning, "today", 9, WIT) == datetime(
        2026, 11, 23, 5, 0, tzinfo=UTC
    )  # 11.00 -> 14.00 WIT


def test_overdue_and_escalation_after_the_second_miss():
    start = date(2026, 11, 23)
    assert rules.overdue_at(start, "weekly", 9, WITA) == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert rules.overdue_at(start, "monthly", 9, WIB) == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    weeks = rules.periods_between(date(2026, 11, 23), date(2026, 12, 7), "weekly")
    assert weeks == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)]
    assert not rules.escalate(weeks[:1], set())  # one miss: a reminder only
    assert rules.escalate(weeks[:2], set())  # the second miss in a row: the facilitator is told
    assert not rules.escalate(weeks, set())  # told once, not again at the third
    assert not rules.escalate(weeks, {date(2026, 12, 7)})
    assert rules.escalate(weeks, {date(2026, 11, 23)})  # a check-in breaks the run


def test_dates_outside_the_plan_are_named():
    plan = (date(2027, 1, 1), date(2027, 6, 30))
    assert rules.date_problem(date(2027, 2, 1), date(2027, 3, 1), *plan) is None
    assert rules.date_problem(date(2027, 3, 1), date(2027, 2, 1), *plan) == "order"
    assert rules.date_problem(date(2026, 12, 1), date(2027, 3, 1), *plan) == "before_plan"
    assert rules.date_problem(date(2027, 2, 1), date(2027, 8, 1), *plan) == "after_plan"
    assert rules.midpoint(*plan) == date(2027, 4, 1)


def test_quarters():
    assert rules.quarter_of(date(2026, 11, 23)) == (2026, 4)
    assert rules.next_quarter(2026, 4) == (2027, 1)
    assert rules.previous_quarter(2027, 1) == (2026, 4)
    assert rules.quarter_start(2027, 2) == date(2027, 4, 1)
    assert rules.parse_quarter_key(rules.quarter_key(2027, 3)) == (2027, 3)
    assert rules.parse_quarter_key("2027q5") is None


def test_indicator_progress_and_versions():
    assert rules.Progress(10, 50, 30).share == 0.5
    assert rules.Progress(10, 50, None).share is None
    assert rules.Progress(10, 10, 12).share is None
    assert rules.latest_value([(date(2026, 12, 7), None), (date(2026, 11, 30), 20), (date(2026, 11, 23), 15)]) == 20
    assert rules.changed_fields({"budget": 10, "title": "A"}, {"budget": 12, "title": "A"}) == ["budget"]


def test_a_plan_board_page_button_parses_and_a_forged_one_does_not():
    from conversations.plans.rules import PageTap, parse_board_tap

    assert parse_board_tap(["brd", "3"]) == PageTap(3, None) and parse_board_tap(["brd", "3", "2"]) == PageTap(3, 2)
    for forged in (None, ["brd"], ["brd", "x"], ["brd", "3", "-2"], ["brd", "3", "100000"], ["p", "3"]):
        assert parse_board_tap(forged) is None

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
    assert rules.parse_tap("pl1:brd:3") == rules.PageTap(3, None)
    assert rules.parse_tap("pl1:brd:3:2") == rules.PageTap(3, 2)
    for forged in (None, "pl1:brd", "pl1:brd:x", "pl1:brd:3:-2", "pl1:brd:3:100000", "mt1:brd:3"):
        assert rules.parse_tap(forged) is None


def test_every_plan_button_parses_to_its_typed_value():
    assert rules.parse_tap("pl1:p:7") == rules.PlanTap("p", 7)
    assert rules.parse_tap("pl1:puby:7") == rules.PlanTap("puby", 7)  # "Yes" on the publish confirm screen
    assert rules.parse_tap("pl1:indo:7:3") == rules.PlanTap("indo", 7, number=3)
    assert rules.parse_tap("pl1:v:7:2") == rules.PlanTap("v", 7, number=2)
    assert rules.parse_tap("pl1:cad:7:b") == rules.PlanTap("cad", 7, cadence="biweekly")
    assert rules.parse_tap("pl1:src:0") == rules.SourceTap(0)
    assert rules.parse_tap("pl1:own:5:42") == rules.ActivityTap("own", 5, 42)
    assert rules.parse_tap("pl1:ai:5:0") == rules.ActivityTap("ai", 5, 0)
    monday = date(2026, 11, 23)
    assert rules.parse_tap("pl1:ci:5:2026-11-23") == rules.PeriodTap("ci", 5, monday)
    assert rules.parse_tap("pl1:sz:5:2026-11-23:m") == rules.PeriodTap("sz", 5, monday, snooze=rules.Snooze.TOMORROW)
    assert rules.parse_tap("pl1:hs:5:2026-11-23:9") == rules.PeriodTap("hs", 5, monday, hour=9)
    assert rules.parse_tap("pl1:ev:12") == rules.EvidenceTap(12)
    quarterly = rules.parse_tap("pl1:qe:3:2026q4")
    assert quarterly == rules.EvaluationTap("qe", 3, "2026q4") and quarterly.form_id == "plan_quarterly"
    assert rules.parse_tap("pl1:ye:3:2026") == rules.EvaluationTap("ye", 3, "2026")


@pytest.mark.parametrize(
    "forged",
    [
        "pl1:p",
        "pl1:p:x",
        "pl1:p:0",
        "pl1:p:7:8",
        "pl1:cad:7:q",
        "pl1:own:5",
        "pl1:ci:5:2026-13-01",
        "pl1:sz:5:2026-11-23:x",
        "pl1:hs:5:2026-11-23:8",
        "pl1:hs:5:2026-11-23",
        "pl1:qe:3:2026q5",
        "pl1:ye:3:next",
        "pl1:ev:x",
        "pl1:nothing:1",
        "sv1:p:7",
        "",
    ],
)
def test_a_stale_or_forged_plan_button_parses_to_none(forged):
    assert rules.parse_tap(forged) is None


def test_who_sees_a_plan_and_when_it_can_be_published():
    assert rules.plan_visible(1, "published", 1, may_run=False)
    assert not rules.plan_visible(1, "draft", 1, may_run=False)
    assert rules.plan_visible(1, "draft", 1, may_run=True)
    assert not rules.plan_visible(1, "published", 2, may_run=True)
    assert not rules.ready_to_publish(None, 3)
    assert not rules.ready_to_publish(date(2027, 1, 1), 0)
    assert rules.ready_to_publish(date(2027, 1, 1), 1)


def test_an_activity_goes_only_to_a_member_still_in_the_cluster_of_an_open_plan():
    refusal = rules.OwnerRefusal
    assert rules.owner_refusal("draft", True) is None
    assert rules.owner_refusal("published", False) is refusal.LEFT
    assert rules.owner_refusal("closed", True) is refusal.CLOSED
    assert rules.owner_refusal(None, True) is refusal.STALE
    assert rules.owner_refusal("draft", None) is refusal.STALE
    assert rules.indicator_choice_ok("draft", 0, set())
    assert rules.indicator_choice_ok("published", 4, {4})
    assert not rules.indicator_choice_ok("published", 5, {4})
    assert not rules.indicator_choice_ok("closed", 4, {4})
    assert not rules.indicator_choice_ok(None, 0, set())


def test_only_the_owner_reports_while_the_plan_is_published():
    refusal = rules.PeriodRefusal
    assert rules.period_refusal(7, 7, 1, 1, "published") is None
    assert rules.period_refusal(7, 8, 1, 1, "published") is refusal.STALE
    assert rules.period_refusal(7, 7, 1, 2, "published") is refusal.STALE
    assert rules.period_refusal(None, 7, None, 1, None) is refusal.STALE
    assert rules.period_refusal(7, 7, 1, 1, "closed") is refusal.NOT_PUBLISHED


def test_evidence_is_kept_only_within_half_an_hour_of_asking():
    asked = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert rules.evidence_expected(asked, asked.replace(minute=30))
    assert not rules.evidence_expected(asked, asked.replace(minute=31))
    assert not rules.evidence_expected(None, asked)


def test_evidence_is_counted_by_kind_in_a_fixed_order():
    assert rules.evidence_counts(["voice", "photo", "photo"]) == [("photo", 2), ("voice", 1)]
    assert rules.evidence_counts(["document"]) == [("document", 1)]
    assert rules.evidence_counts([]) == []


def test_evidence_is_for_the_facilitators_and_the_activitys_owner():
    assert rules.may_see_evidence(True, 7, 9)
    assert rules.may_see_evidence(False, 7, 7)
    assert not rules.may_see_evidence(False, 7, 9)
    assert not rules.may_see_evidence(False, None, 9)


def test_activity_page_and_evidence_buttons_parse_as_typed_values():
    assert rules.parse_tap("pl1:a:4") == rules.ActivityPageTap(4)
    assert rules.parse_tap("pl1:evs:12") == rules.EvidencePieceTap(12)
    assert rules.parse_tap("pl1:acts:3") == rules.PlanTap("acts", 3)
    for forged in ("pl1:a:0", "pl1:a:x", "pl1:evs:", "pl1:evs:1:2", "pl1:a:" + "9" * 20):
        assert rules.parse_tap(forged) is None

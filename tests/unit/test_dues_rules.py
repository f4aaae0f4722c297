"""Dues rules: periods, what is owed and paid up to, who is behind, typed amounts, the reminder's time, taps."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from conversations.dues import rules, views
from conversations.dues.rules import Step, Terms

MONTHLY = rules.schedule_of([Terms(25_000, "monthly", date(2026, 11, 1))])
YEARLY = rules.schedule_of([Terms(300_000, "yearly", date(2026, 7, 1))])
NOVEMBER = date(2026, 11, 1)


def test_periods_are_months_or_years_counted_from_the_first_month():
    assert rules.period_containing(MONTHLY, date(2027, 2, 14)) == date(2027, 2, 1)
    assert rules.period_containing(MONTHLY, date(2026, 10, 31)) is None
    assert rules.period_containing(YEARLY, date(2027, 6, 30)) == date(2026, 7, 1)
    assert rules.period_containing(YEARLY, date(2027, 7, 1)) == date(2027, 7, 1)
    assert rules.next_period(MONTHLY, date(2026, 12, 1)) == date(2027, 1, 1)
    assert rules.next_period(YEARLY, date(2026, 7, 1)) == date(2027, 7, 1)
    assert rules.months_after(date(2026, 1, 31), -2) == date(2025, 11, 1)


def test_a_member_owes_from_the_period_they_joined_in_and_is_overdue_from_the_tenth():
    since = rules.first_owed(MONTHLY, date(2026, 12, 20))
    assert since == date(2026, 12, 1)
    assert rules.first_owed(MONTHLY, date(2025, 3, 3)) == NOVEMBER  # joined before the dues began
    before_tenth = rules.status(MONTHLY, NOVEMBER, frozenset(), date(2026, 12, 9))
    assert before_tenth.owed == (date(2026, 11, 1), date(2026, 12, 1))
    assert before_tenth.overdue == (date(2026, 11, 1),)
    assert before_tenth.paid_up_to is None
    on_tenth = rules.status(MONTHLY, NOVEMBER, frozenset(), date(2026, 12, 10))
    assert on_tenth.overdue == (date(2026, 11, 1), date(2026, 12, 1))


def test_paid_up_to_is_the_end_of_the_unbroken_run_paid_ahead_included():
    paid = frozenset({date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 3, 1)})
    own = rules.status(MONTHLY, NOVEMBER, paid, date(2027, 4, 15))
    assert own.paid_up_to == date(2027, 1, 1)
    assert own.owed == (date(2027, 2, 1), date(2027, 4, 1))
    ahead = rules.status(MONTHLY, NOVEMBER, paid, date(2026, 11, 23))
    assert ahead.owed == () and ahead.overdue == () and ahead.paid_up_to == date(2027, 1, 1)


def test_ticking_offers_unpaid_periods_from_the_first_owed_to_six_months_ahead_at_most_twelve():
    offered = rules.choices(MONTHLY, NOVEMBER, frozenset({date(2026, 12, 1)}), date(2026, 11, 23))
    assert offered[0] == date(2026, 11, 1) and date(2026, 12, 1) not in offered
    assert offered[-1] == date(2027, 5, 1) and len(offered) == 6
    long_behind = rules.choices(
        rules.schedule_of([Terms(10_000, "monthly", date(2024, 1, 1))]),
        date(2024, 1, 1),
        frozenset(),
        date(2026, 11, 23),
    )
    assert len(long_behind) == rules.MOST_CHOICES and long_behind[0] == date(2024, 1, 1)
    assert rules.choices(YEARLY, date(2026, 7, 1), frozenset(), date(2026, 11, 23)) == [
        date(2026, 7, 1),
        date(2027, 7, 1),
    ]


def test_several_periods_at_once_cost_the_dues_times_their_number_and_read_as_runs():
    periods = [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 3, 1)]
    assert rules.amount_for(MONTHLY, periods) == 100_000
    assert rules.amount_for(MONTHLY, periods + periods) == 100_000  # a period counts once
    assert rules.runs(MONTHLY, periods) == [
        (date(2026, 11, 1), date(2027, 1, 1)),
        (date(2027, 3, 1), date(2027, 3, 1)),
    ]


def test_who_is_behind_lists_only_overdue_members_the_longest_behind_first():
    members = [(1, "Budi", NOVEMBER), (2, "Ani", NOVEMBER), (3, "Citra", date(2027, 1, 1))]
    paid = {1: frozenset({date(2026, 11, 1)})}
    late = rules.behind(MONTHLY, members, paid, date(2027, 1, 5))
    assert [(a.name, a.periods, a.amount, a.since) for a in late] == [
        ("Ani", 2, 50_000, date(2026, 11, 1)),
        ("Budi", 1, 25_000, date(2026, 12, 1)),
    ]  # Citra joined in January: not overdue before the 10th


def test_the_reminder_is_at_nine_on_the_tenth_in_the_clusters_zone_and_the_first_is_still_to_come():
    assert rules.reminder_at(date(2026, 12, 1), "Asia/Jakarta") == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    assert rules.reminder_at(date(2026, 12, 1), "Asia/Jayapura") == datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
    set_on_23rd = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert rules.first_reminded_period(MONTHLY, set_on_23rd, "Asia/Jakarta") == date(2026, 12, 1)
    set_on_2nd = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    assert rules.first_reminded_period(MONTHLY, set_on_2nd, "Asia/Jakarta") == date(2026, 11, 1)
    later = rules.schedule_of([Terms(25_000, "monthly", date(2027, 3, 1))])
    assert rules.first_reminded_period(later, set_on_23rd, "Asia/Jakarta") == date(2027, 3, 1)
    assert rules.period_ends_at(MONTHLY, date(2026, 12, 1), "Asia/Jakarta") == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert rules.reminder_key(4, date(2026, 12, 1), 2) == "dues:4:2026-12:2"
    assert rules.reminder_key(4, date(2026, 12, 1), 2).startswith(rules.period_keys(4, date(2026, 12, 1)))


def test_dues_set_anew_govern_from_their_first_month_and_the_months_before_keep_their_price():
    raised = rules.schedule_of([Terms(25_000, "monthly", NOVEMBER), Terms(30_000, "monthly", date(2027, 1, 1))])
    assert rules.amount_of(raised, date(2026, 12, 1)) == 25_000 and rules.amount_of(raised, date(2027, 2, 1)) == 30_000
    own = rules.status(raised, NOVEMBER, frozenset({NOVEMBER}), date(2027, 1, 20))
    assert own.owed == (date(2026, 12, 1), date(2027, 1, 1)) and own.owed_amount == 55_000  # December not forgiven
    assert rules.amount_for(raised, [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]) == 85_000
    # A later setting from an earlier month replaces what the earlier one said from then on.
    redone = rules.schedule_of([Terms(25_000, "monthly", NOVEMBER), Terms(200_000, "yearly", date(2026, 10, 1))])
    assert redone.segments == (Terms(200_000, "yearly", date(2026, 10, 1)),)
    # Monthly dues, then yearly from July: the months before stay months, then whole years.
    to_yearly = rules.schedule_of([Terms(25_000, "monthly", NOVEMBER), Terms(250_000, "yearly", date(2027, 7, 1))])
    assert rules.periods_from(to_yearly, date(2027, 5, 1), date(2028, 7, 1)) == [
        date(2027, 5, 1),
        date(2027, 6, 1),
        date(2027, 7, 1),
        date(2028, 7, 1),
    ]
    # A year cut short by a new setting ends where the new one begins.
    cut = rules.schedule_of([Terms(300_000, "yearly", date(2026, 1, 1)), Terms(30_000, "monthly", date(2026, 7, 1))])
    assert rules.next_period(cut, date(2026, 1, 1)) == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("25000", 25_000),
        ("25.000", 25_000),
        ("Rp 25.000", 25_000),
        ("rp25,000", 25_000),
        ("1.500.000", 1_500_000),
        ("25.000,-", 25_000),
        ("0", None),
        ("25.000,50", None),
        ("2.5", None),
        ("dua puluh ribu", None),
        ("", None),
        ("999999999999", None),
    ],
)
def test_amounts_are_typed_in_whole_rupiah(typed, amount):
    assert rules.parse_amount(typed) == amount


def test_search_keeps_names_holding_every_typed_word():
    names = [(1, "Budi Santoso"), (2, "Ani Budiman"), (3, "Citra")]
    assert rules.search_matches(names, "bud") == [1, 2]
    assert rules.search_matches(names, "budi san") == [1]
    assert rules.search_matches(names, None) == [1, 2, 3]
    assert rules.clean_search("  ani   b ") == "ani b" and rules.clean_search("   ") is None


def test_first_months_offered_are_two_before_to_one_after_this_one():
    assert rules.start_choices(date(2026, 1, 15)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.parametrize(
    ("data", "tap"),
    [
        ("du1:home", rules.DuesTap(Step.HOME)),
        ("du1:pm:304", rules.DuesTap(Step.MEMBER, number=304)),
        ("du1:pt:202701", rules.DuesTap(Step.TOGGLE, period=date(2027, 1, 1))),
        ("du1:st:202611", rules.DuesTap(Step.START, period=date(2026, 11, 1))),
        ("du1:c:yearly", rules.DuesTap(Step.CADENCE, key="yearly")),
        ("du1:late:2", rules.DuesTap(Step.ARREARS, number=2)),
        ("du1:pt:202613", None),
        ("du1:pt:20261", None),
        ("du1:c:weekly", None),
        ("du1:pm:-1", None),
        ("du1:late:99999", None),
        ("du1:home:1", None),
        ("du1:py:1", None),
        ("du1:nope", None),
        ("sp1:home", None),
        (None, None),
    ],
)
def test_buttons_read_back_and_forged_ones_do_not(data, tap):
    assert rules.parse_tap(data) == tap


def test_periods_read_as_people_write_them():
    months = [NOVEMBER, date(2026, 12, 1), date(2027, 1, 1), date(2027, 3, 1)]
    assert views.periods_text(MONTHLY, months, "id") == "Nov 2026–Jan 2027, Mar 2027"
    assert views.periods_text(MONTHLY, [NOVEMBER, date(2026, 12, 1)], "id") == "Nov–Des 2026"
    assert views.period_label(YEARLY, date(2026, 7, 1), "id") == "Jul 2026–Jun 2027"
    calendar = rules.schedule_of([Terms(300_000, "yearly", date(2026, 1, 1))])
    assert views.periods_text(calendar, [date(2026, 1, 1), date(2027, 1, 1)], "id") == "2026–2027"
    assert views.periods_text(YEARLY, [date(2026, 7, 1), date(2027, 7, 1)], "id") == "Jul 2026–Jun 2028"
    assert views.purpose("id", "Ani", MONTHLY, months[:3]) == "Iuran Ani Nov 2026–Jan 2027"

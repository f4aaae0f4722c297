"""The cash book's rules: typed amounts and days, what counts, sums per line, budget versus actual,
periods and the monthly report's time, the buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from conversations.money import rules
from conversations.money.rules import Comparison, Numbered, NumberTap, Period, Tap


@dataclass(frozen=True)
class E:
    id: int
    direction: str
    amount: int
    occurred_on: date = date(2026, 3, 1)
    purpose: str = "x"
    source: str | None = None
    activity_key: str | None = None
    status: str = "recorded"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("Rp 250.000", 250_000),
        ("rp250000", 250_000),
        ("1,5 juta", 1_500_000),
        ("2jt", 2_000_000),
        ("500 rb", 500_000),
        ("1,25 juta", 1_250_000),
        ("7", 7),
        ("25,000", 25_000),
        ("Rp 25.000,-", 25_000),
    ],
)
def test_amounts_people_type_are_whole_rupiah(typed, amount):
    assert rules.parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["", "0", "abc", "1,5", "1.50", "12.5.000", "-5000", "1,2345 rb", "99 kilo"])
def test_what_is_not_an_amount_is_refused(typed):
    assert rules.parse_amount(typed) is None


def test_days_are_read_and_the_future_is_refused():
    today = date(2026, 11, 23)
    assert rules.parse_day("23/11/2026", today) == today
    assert rules.parse_day("1-11", today) == date(2026, 11, 1)
    assert rules.parse_day("2026-10-05", today) == date(2026, 10, 5)
    assert rules.parse_day("5.10.26", today) == date(2026, 10, 5)
    assert rules.parse_day("24/11/2026", today) is None
    assert rules.parse_day("31/2/2026", today) is None
    assert rules.parse_day("kemarin", today) is None


def test_pending_and_rejected_entries_do_not_count_and_a_reversal_cancels():
    book = [
        E(1, "income", 1_000_000, source="initial"),
        E(2, "spending", 300_000, activity_key="activity:1"),
        E(3, "spending", -300_000, activity_key="activity:1"),  # reverses 2
        E(4, "spending", 5_000_000, status="pending"),
        E(5, "spending", 2_000_000, status="rejected"),
        E(6, "spending", 100_000),
    ]
    assert rules.balance(book) == 900_000
    assert rules.totals(book) == rules.Totals(1_000_000, 100_000)
    assert rules.actual_by_line(book, "spending") == {"activity:1": 0, "other": 100_000}
    rows = rules.book_rows(book, opening=50)
    assert [r.running for r in rows] == [1_000_050, 700_050, 1_000_050, 1_000_050, 1_000_050, 900_050]


def test_budget_versus_actual_lists_planned_and_used_lines_other_last():
    book = [E(1, "income", 400, source="dues"), E(2, "income", 100, source="sponsor")]
    rows = rules.budget_versus_actual({"dues": 1000, "apbd": 5000, "other": 10}, book, "income", rules.SOURCES)
    assert rows == [
        Comparison("dues", 1000, 400),
        Comparison("apbd", 5000, 0),
        Comparison("sponsor", 0, 100),
        Comparison("other", 10, 0),
    ]
    assert rules.summed(rows) == Comparison("total", 6010, 500) and rows[0].left == 600


def test_periods_and_the_monthly_report_time():
    today = date(2026, 11, 23)
    assert rules.period_bounds(Period.MONTH, today) == (date(2026, 11, 1), date(2026, 11, 30))
    assert rules.period_bounds(Period.LAST_MONTH, date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert rules.period_bounds(Period.QUARTER, today) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rules.period_bounds(Period.YEAR, today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert rules.report_due_at("2026-12", "Asia/Jakarta") == datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    assert rules.next_month("2026-12") == "2027-01" and rules.month_key(today) == "2026-11"


def test_an_entry_waits_for_the_chair_only_over_the_threshold_and_with_a_chair():
    assert rules.waits_for_chair(5_000_001, 5_000_000, True)
    assert not rules.waits_for_chair(5_000_000, 5_000_000, True)
    assert not rules.waits_for_chair(9_000_000, None, True)
    assert not rules.waits_for_chair(9_000_000, 1, False)


def test_buttons_read_into_typed_values_and_forgeries_into_none():
    assert rules.parse_tap("kb1:home") == Tap(rules.Do.HOME)
    assert rules.parse_tap("kb1:ok:12") == NumberTap(Numbered.CONFIRM, 12)
    assert rules.parse_tap("kb1:pdf:q") == rules.ReportTap(Period.QUARTER)
    for forged in ("kb1:src:9", "kb1:ok:x", "kb1:boom", "kb1:pdf:z", "pl1:home", None, "kb1:ok:1:2"):
        assert rules.parse_tap(forged) is None


def test_titles_the_year_holds_twice_are_the_ones_that_need_their_month():
    titles = ["Pertemuan koordinasi rutin", "Pelatihan pewarna alami", "Pertemuan koordinasi rutin", "Pameran"]
    assert rules.repeated_titles(titles) == {"Pertemuan koordinasi rutin"}
    assert rules.repeated_titles(["Pameran"]) == set()

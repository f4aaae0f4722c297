"""The supporters' rules as plain functions: buttons read back (or refused), services toggled in their
order, who sees which entry, typed dates and their limits, and when a next step is reminded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from bot.buttons import callback_data
from conversations.supporters import rules
from conversations.supporters.rules import PREFIX, SERVICES, Step, SupporterTap, parse_tap
from conversations.supporters.visit_views import LINE_LIMIT, history
from storage.visits import Visit


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("home",), SupporterTap(Step.HOME)),
        (("n", "export", 2), SupporterTap(Step.NEED, key="export", page=2)),
        (("s", 7, 1), SupporterTap(Step.SHOW, 7, page=1)),
        (("s", 7), SupporterTap(Step.SHOW, 7)),
        (("ok", 12), SupporterTap(Step.CONFIRM, 12)),
        (("et", 3, "design"), SupporterTap(Step.EDIT_TOGGLE, 3, "design")),
        (("ef", 3, "worked_with"), SupporterTap(Step.EDIT_FIELD, 3, "worked_with")),
        (("k", "kadin"), SupporterTap(Step.KIND, key="kadin")),
        (("vk", "call"), SupporterTap(Step.VISIT_KIND, key="call")),
        (("day", 1), SupporterTap(Step.DAY, 1)),
        (("nx", 14), SupporterTap(Step.NEXT_DAY, 14)),
        (("fu", 5), SupporterTap(Step.FOLLOW_UP, 5)),
        (("vis", 0), SupporterTap(Step.VISIT)),
    ],
)
def test_every_button_reads_back_as_its_typed_press(parts, expected):
    assert parse_tap(callback_data(PREFIX, *parts)) == expected


@pytest.mark.parametrize(
    "data",
    [
        None,
        "sp1",
        "sp2:home",
        "sp1:home:1",
        "sp1:n:cooking:0",  # not a service
        "sp1:k:alien",
        "sp1:ef:3:name",  # the name is not edited here
        "sp1:ok:x",
        "sp1:ok:1:2",
        "sp1:day:5",  # only today or yesterday
        "sp1:nx:3",
        "sp1:l:99999999",
        "sp1:zz:1",
    ],
)
def test_a_stale_or_forged_button_reads_as_nothing(data):
    assert parse_tap(data) is None


def test_services_toggle_in_the_fixed_order():
    chosen = rules.toggled((), "export")
    chosen = rules.toggled(chosen, "training")
    assert chosen == ("training", "export")
    assert rules.toggled(chosen, "export") == ("training",)
    assert set(SERVICES) >= set(chosen)


@dataclass(frozen=True)
class _Listed:
    name: str
    services: tuple[str, ...]


def test_browsing_by_need_keeps_those_offering_it():
    listed = [_Listed("Bank", ("finance",)), _Listed("Dinas", ("training", "export"))]
    assert [s.name for s in rules.offering(listed, "export")] == ["Dinas"]
    assert rules.offering(listed, "design") == []


def test_members_see_confirmed_entries_and_only_their_own_suggestions():
    assert rules.visible_to("confirmed", 5, 9, manages=False)
    assert rules.visible_to("suggested", 9, 9, manages=False)
    assert not rules.visible_to("suggested", 5, 9, manages=False)
    assert rules.visible_to("suggested", 5, 9, manages=True)
    assert not rules.visible_to("removed", 9, 9, manages=True)
    assert not rules.visible_to("rejected", 9, 9, manages=True)


def test_typed_dates_as_indonesians_write_them():
    today = date(2026, 11, 23)
    assert rules.read_date("23-11-2026", today) == date(2026, 11, 23)
    assert rules.read_date("5/1/27", today) == date(2027, 1, 5)
    assert rules.read_date("20.11", today) == date(2026, 11, 20)
    assert rules.read_date("31-02-2026", today) is None
    assert rules.read_date("besok", today) is None


def test_a_visit_day_is_past_and_a_next_step_follows_it_within_a_year():
    today = date(2026, 11, 23)
    assert rules.visit_day_problem(date(2026, 11, 24), today) == "future"
    assert rules.visit_day_problem(date(2025, 11, 1), today) == "too_old"
    assert rules.visit_day_problem(today, today) is None
    assert rules.next_day_problem(date(2026, 11, 22), today) == "before_visit"
    assert rules.next_day_problem(date(2027, 12, 1), today) == "too_far"
    assert rules.next_day_problem(date(2026, 11, 30), today) is None


def test_a_next_step_is_reminded_at_eight_in_the_clusters_zone():
    assert rules.next_step_due(date(2026, 11, 30), "Asia/Jakarta") == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert rules.next_step_due(date(2026, 11, 30), "Asia/Jayapura") == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert rules.reminder_key(4) == "visit:4:next"
    assert rules.local_today(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "Asia/Jayapura") == date(2026, 11, 30)


def test_a_form_question_offers_at_most_eight_supporters():
    names = [(n, f"S{n}") for n in range(12)]
    assert rules.form_suggestions(names) == names[:8]


def test_typed_text_is_tidied_and_limited():
    assert rules.clean_text("  Bank   Jateng ") == "Bank Jateng"
    assert rules.clean_text("   ") is None
    assert rules.clean_text("x" * 121, rules.NAME_LIMIT) is None


def test_a_long_agreement_is_clipped_in_the_history_so_five_visits_fit_a_screen():
    long = "kata " * 300
    visit = Visit(1, 1, 1, None, None, "Dinas", "visit", date(2026, 11, 23), long, long, date(2026, 11, 30), None, 801)
    lines, _rows = history("id", [visit] * 5, 0, 1)
    assert all(len(line) < 2 * LINE_LIMIT + 120 for line in lines)
    assert sum(len(line) for line in lines) < 3500
    assert "…" in lines[-1]


def test_a_long_history_pages_five_visits_at_a_time():
    visits = [
        Visit(n, 1, 1, None, None, "Dinas", "call", date(2026, 11, 23), f"janji {n}", None, None, None, 801)
        for n in range(7)
    ]
    lines, rows = history("id", visits, 0, 1)
    assert "Halaman 1/2" in lines and sum("janji" in line for line in lines) == 5
    assert [b.callback_data for row in rows for b in row] == ["sp1:s:1:1"]
    lines, rows = history("id", visits, 1, 1)
    assert sum("janji" in line for line in lines) == 2 and [b.callback_data for row in rows for b in row] == [
        "sp1:s:1:0"
    ]

"""Brainstorming rules: the phase machine, cards, the dot-voting arithmetic, ranking with ties, the shortlist, pages."""

from __future__ import annotations

import pytest

from conversations.brainstorm import rules
from conversations.brainstorm.rules import CardProblem, VoteProblem


def test_the_phases_move_forward_one_step_at_a_time():
    assert [rules.next_phase(p) for p in rules.PHASES] == ["revealed", "grouping", "voting", "results", "closed", None]
    assert rules.can_move("collecting", "revealed")
    assert not rules.can_move("collecting", "grouping")  # no skipping
    assert not rules.can_move("voting", "grouping")  # never back
    assert not rules.can_move("closed", "collecting")
    assert not rules.can_move("voting", "nonsense")


def test_what_each_phase_allows():
    allowed = {
        p: (
            rules.accepts_cards(p),
            rules.cards_visible(p),
            rules.may_group(p),
            rules.may_vote(p),
            rules.totals_visible(p),
        )
        for p in rules.PHASES
    }
    assert allowed == {
        "collecting": (True, False, False, False, False),
        "revealed": (False, True, False, False, False),
        "grouping": (False, True, True, False, False),
        "voting": (False, True, False, True, False),
        "results": (False, True, False, False, True),
        "closed": (False, True, False, False, True),
    }


@pytest.mark.parametrize(
    ("kind", "text", "duration", "problem"),
    [
        ("text", "Harga bahan baku naik", None, None),
        ("text", "   ", None, CardProblem.EMPTY),
        ("text", "x" * 501, None, CardProblem.TOO_LONG),
        ("text", "x" * 500, None, None),
        ("voice", None, 120, None),
        ("voice", None, 121, CardProblem.VOICE_TOO_LONG),
        ("photo", None, None, None),  # a photo of a paper card needs no caption
        ("photo", "y" * 501, None, CardProblem.TOO_LONG),
        ("sticker", None, None, CardProblem.UNSUPPORTED),
    ],
)
def test_cards_are_checked(kind, text, duration, problem):
    assert rules.check_card(kind, text, duration) == problem


def test_one_line_answers_and_titles():
    assert rules.check_line("  Bahan   baku  ", 60) == ("Bahan baku", None)
    assert rules.check_line("", 60) == (None, CardProblem.EMPTY)
    assert rules.check_line("x" * 61, 60) == (None, CardProblem.TOO_LONG)
    assert rules.title_from_card(None, 7) == "#7"
    assert rules.title_from_card("a " * 40, 1).endswith("…") and len(rules.title_from_card("a " * 40, 1)) == 60
    assert rules.dominant_column(["W", "S", "W", None]) == "W"
    assert rules.dominant_column(["T", "S"]) == "S"  # equals: S, W, O, T order
    assert rules.dominant_column([None]) is None


def test_a_voter_spends_within_the_budget_and_takes_dots_back():
    budget = 3
    assert rules.check_place(budget, spent=0, seen_spent=0, theme_live=True) is None
    assert rules.check_place(budget, spent=2, seen_spent=2, theme_live=True) is None
    assert rules.check_place(budget, spent=3, seen_spent=3, theme_live=True) is VoteProblem.NO_DOTS_LEFT
    assert rules.remaining(budget, 3) == 0 and rules.remaining(budget, 1) == 2
    assert rules.check_take_back(spent=3, seen_spent=3, on_theme=2) is None
    assert rules.check_take_back(spent=3, seen_spent=3, on_theme=0) is VoteProblem.NONE_HERE


def test_a_double_tap_or_a_second_phone_counts_once():
    # Both taps carry "0 spent when drawn"; the first one moved the count to 1.
    assert rules.check_place(3, spent=1, seen_spent=0, theme_live=True) is VoteProblem.STALE
    assert rules.check_take_back(spent=1, seen_spent=2, on_theme=1) is VoteProblem.STALE


def test_a_dot_on_a_merged_theme_is_refused():
    assert rules.check_place(3, spent=0, seen_spent=0, theme_live=False) is VoteProblem.THEME_GONE


def test_dots_fill_free_slots_and_never_exceed_the_budget():
    assert rules.free_slot([], 3) == 1
    assert rules.free_slot([1, 3], 3) == 2  # a dot taken back frees its slot
    assert rules.free_slot([1, 2, 3], 3) is None


def test_in_room_dots_add_to_the_phones():
    assert rules.tally({1: 3, 2: 1}, {2: 2, 3: 4}) == {1: 3, 2: 3, 3: 4}


def test_ties_are_shown_as_ties():
    ranked = rules.rank_themes({10: 5, 11: 3, 12: 3, 13: 3, 14: 0}, [14, 13, 12, 11, 10])
    assert [(r.theme_id, r.dots, r.rank, r.tied) for r in ranked] == [
        (10, 5, 1, False),
        (13, 3, 2, True),
        (12, 3, 2, True),
        (11, 3, 2, True),
        (14, 0, 5, False),
    ]


def test_the_default_shortlist_is_the_top_three_plus_ties_up_to_five():
    def shortlist(totals):
        return rules.default_shortlist(rules.rank_themes(totals, sorted(totals)))

    assert shortlist({1: 9, 2: 7, 3: 5, 4: 2}) == [1, 2, 3]
    assert shortlist({1: 9, 2: 7, 3: 5, 4: 5}) == [1, 2, 3, 4]  # a tie at the cut is kept
    assert shortlist({1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4}) == [1, 2, 3, 4, 5]  # never more than five
    assert shortlist({1: 3, 2: 0, 3: 0}) == [1]  # a theme nobody voted for is not picked
    assert shortlist({}) == []


def test_board_pages_fit_a_phone_screen():
    lines = ["x" * 300] * 30
    pages = rules.pages_of(lines, limit=3300, per_page=12)
    assert sum(len(p) for p in pages) == 30
    assert all(sum(len(lines[i]) + 1 for i in page) <= 3300 for page in pages)
    assert rules.pages_of([]) == [[]]
    assert rules.clamp_page(9, 3) == 2 and rules.clamp_page(-1, 3) == 0


def test_a_page_button_parses_and_pages_count_emoji_as_two():
    assert rules.parse_list_page(["sl", "5"]) == rules.PageTap(5, None)
    assert rules.parse_list_page(["st", "9", "2"]) == rules.PageTap(9, 2)
    for forged in (None, ["sl"], ["sl", "x"], ["sl", "5", "-1"], ["sl", "5", "100000"], ["sl", "5", "1", "1"]):
        assert rules.parse_list_page(forged) is None
    emoji_cards = ["🎉" * 500] * 12  # 1,000 UTF-16 units each
    assert [len(page) for page in rules.pages_of(emoji_cards)] == [3, 3, 3, 3]

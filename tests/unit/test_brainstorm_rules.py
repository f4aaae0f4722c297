"""Brainstorming rules: the phase machine, cards, the dot-voting arithmetic, ranking with ties, the shortlist, pages."""

from __future__ import annotations

import pytest

from conversations.brainstorm import rules
from conversations.brainstorm.button_rules import BrainstormTap, Step, parse_tap
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
    assert parse_tap("bs1:sl:5") == BrainstormTap(Step.LONGLIST, session_id=5)
    assert parse_tap("bs1:st:9:2") == BrainstormTap(Step.TOGGLE, theme_id=9, page=2)
    for forged in (None, "bs1:sl", "bs1:sl:x", "bs1:sl:5:-1", "bs1:sl:5:100000", "bs1:sl:5:1:1"):
        assert parse_tap(forged) is None
    emoji_cards = ["🎉" * 500] * 12  # 1,000 UTF-16 units each
    assert [len(page) for page in rules.pages_of(emoji_cards)] == [3, 3, 3, 3]


def test_every_brainstorm_button_parses_to_what_it_names():
    assert parse_tap("bs1:list") == BrainstormTap(Step.LIST)
    assert parse_tap("bs1:adv:4:revealed") == BrainstormTap(Step.ADVANCE, session_id=4, phase="revealed")
    assert parse_tap("bs1:advy:4:results") == BrainstormTap(Step.CONFIRM_ADVANCE, session_id=4, phase="results")
    assert parse_tap("bs1:col:4:W") == BrainstormTap(Step.COLUMN, session_id=4, column="W")
    assert parse_tap("bs1:b:4") == BrainstormTap(Step.BOARD, session_id=4)  # the first page
    assert parse_tap("bs1:tm:7:12:1") == BrainstormTap(Step.MOVE_CARD, theme_id=7, card_id=12, page=1)
    assert parse_tap("bs1:mi:7:8") == BrainstormTap(Step.MERGE, theme_id=7, target_id=8)
    assert parse_tap("bs1:v:4:7:0:2") == BrainstormTap(Step.PLACE, session_id=4, theme_id=7, seen=0, page=2)
    assert parse_tap("bs1:rr:7:3:0") == BrainstormTap(Step.ROOM_REMOVE, theme_id=7, seen=3)
    assert parse_tap("bs1:mt:0") == BrainstormTap(Step.MEETING, meeting_id=0)  # no meeting
    assert parse_tap("bs1:tp:swot") == BrainstormTap(Step.TEMPLATE, template="swot")
    assert parse_tap("bs1:an:0") == BrainstormTap(Step.ANONYMOUS, anonymous=False)
    assert parse_tap("bs1:d:5") == BrainstormTap(Step.DOTS, dots=5)


def test_a_forged_or_malformed_brainstorm_button_parses_to_nothing():
    for forged in (
        "cm1:o:4",  # another flow's
        "bs1",
        "bs1:zz:4",
        "bs1:list:1",
        "bs1:o",
        "bs1:o:0",
        "bs1:o:x",
        "bs1:o:4:1",
        "bs1:adv:4",
        "bs1:adv:x:revealed",
        "bs1:adv:4:later",
        "bs1:advy:4",
        "bs1:advy:4:later",
        "bs1:col:4:X",
        "bs1:v:4:7",  # a ➕ without the dots spent when it was drawn
        "bs1:v:4:7:-1:0",
        "bs1:mt:x",
        "bs1:tp:essay",
        "bs1:an:2",
        "bs1:d:9",
        "bs1:au:cluster",  # read by the audience picker itself
    ):
        assert parse_tap(forged) is None, forged


def test_a_phase_moves_once_and_never_skips_or_closes_without_the_shortlist():
    assert rules.move_refusal("collecting", "revealed") is None
    assert rules.move_refusal("revealed", "revealed") == "moved"  # a second tap
    assert rules.move_refusal("closed", "revealed") == "moved"
    assert rules.move_refusal("collecting", "results") == "stale"  # a skip
    assert rules.move_refusal("results", "closed") == "stale"  # closing is sending the shortlist
    assert rules.move_refusal("collecting", None) == "stale"


def test_sending_the_shortlist_says_why_nothing_went_out():
    assert rules.shortlist_refusal("results", any_marked=True, moved=True) is None
    assert rules.shortlist_refusal("results", any_marked=False, moved=False) == "empty"
    assert rules.shortlist_refusal("closed", any_marked=True, moved=False) == "moved"
    assert rules.shortlist_refusal("collecting", any_marked=False, moved=False) == "not_now"


def test_summaries_and_typed_lines_only_in_their_phases():
    assert rules.may_summarise("revealed", withdrawn=False) and rules.may_summarise("grouping", withdrawn=False)
    assert not rules.may_summarise("collecting", withdrawn=False)
    assert not rules.may_summarise("voting", withdrawn=False)
    assert not rules.may_summarise("grouping", withdrawn=True)
    assert rules.takes_line("summary", "revealed") and not rules.takes_line("rename", "revealed")
    assert rules.takes_line("theme_title", "grouping") and not rules.takes_line("theme_title", "voting")


def test_who_leads_a_session_and_whose_card_it_is():
    # (session's cluster, who opened it, sender's cluster, sender facilitates, sender)
    assert rules.leads(1, 50, 1, True, 60)  # any facilitator of the cluster
    assert rules.leads(1, 50, 1, False, 50)  # the group leader who opened it
    assert not rules.leads(1, 50, 1, False, 60)
    assert not rules.leads(1, 50, 2, True, 50)  # standing in another cluster
    assert rules.owns_card(author_id=7, entered_by=7, user_id=7)
    assert rules.owns_card(author_id=None, entered_by=50, user_id=50)  # a paper card, typed in
    assert not rules.owns_card(author_id=7, entered_by=50, user_id=50)
    assert rules.types_paper(True, 4, 4, leader=True)
    assert not rules.types_paper(True, 5, 4, leader=True)  # another session's draft
    assert not rules.types_paper(True, 4, 4, leader=False)


def test_a_ballot_is_for_participants_while_voting_and_room_dots_move_by_one():
    assert rules.ballot_problem(joined=True, phase="voting") is None
    assert rules.ballot_problem(joined=False, phase="voting") == VoteProblem.NOT_PARTICIPANT
    assert rules.ballot_problem(joined=True, phase="results") == VoteProblem.CLOSED
    assert rules.room_dots_after(3, adding=True) == 4
    assert rules.room_dots_after(3, adding=False) == 2
    assert rules.room_dots_after(0, adding=False) == -1  # refused by storage's compare-and-set


def test_closing_the_collection_and_the_voting_are_asked_first_the_other_moves_are_not():
    assert [p for p in rules.PHASES if rules.needs_confirmation(p)] == ["revealed", "results"]
    assert not rules.needs_confirmation(None)


def test_turnout_counts_the_participants_who_did_it_once_each():
    # Ani sent three cards, a paper card has no author, Eka is not taking part.
    assert rules.turnout([1, 2, 3, 4], [1, 1, 1, None, 9]) == (1, 4)
    assert rules.turnout([1, 2], [2, 1]) == (2, 2)
    assert rules.turnout([], [5]) == (0, 0)

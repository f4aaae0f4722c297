"""Small-group rules: buttons, moving members between groups, names, pages."""

from __future__ import annotations

import pytest

from bot.buttons import MAX_CALLBACK_BYTES, callback_data
from conversations.membership.group_rules import (
    GROUP_PREFIX,
    GroupAction,
    GroupButton,
    Problem,
    clamp_page,
    clean_group_answer,
    group_button_parts,
    name_taken,
    page_count,
    page_items,
    parse_group_button,
    plan_move,
    unassigned_count,
)

BIG_ID = 2**52 - 1  # the largest id Telegram hands out fits in 52 bits

EVERY_BUTTON = [
    GroupButton(GroupAction.LIST, page=3),
    GroupButton(GroupAction.NEW),
    GroupButton(GroupAction.NO_AREA),
    GroupButton(GroupAction.OPEN, group_id=BIG_ID),
    GroupButton(GroupAction.ADD, group_id=BIG_ID, page=999),
    GroupButton(GroupAction.PUT, group_id=BIG_ID, user_id=BIG_ID, page=999),
    GroupButton(GroupAction.MOVE, group_id=BIG_ID, user_id=BIG_ID, page=999),
    GroupButton(GroupAction.LEADERS, group_id=BIG_ID, page=999),
    GroupButton(GroupAction.SET_LEADER, group_id=BIG_ID, user_id=BIG_ID),
    GroupButton(GroupAction.MINE),
    GroupButton(GroupAction.PICK, page=2),
    GroupButton(GroupAction.JOIN, group_id=7),
]


@pytest.mark.parametrize("button", EVERY_BUTTON, ids=lambda b: b.action.value)
def test_every_group_button_fits_telegram_and_reads_back(button):
    data = callback_data(GROUP_PREFIX, *group_button_parts(button))
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse_group_button(data) == button


@pytest.mark.parametrize(
    "data",
    [
        "gr1",
        "gr1:",
        "gr1:explode",
        "gr1:open",
        "gr1:open:0",
        "gr1:open:-4",
        "gr1:open:abc",
        "gr1:open:4:5",
        "gr1:put:4:1017",
        "gr1:put:4:x:0",
        "gr1:setl:4:0",
        "gr1:list:99999999999999999999",
        "gr1:open:٣",  # a digit, but not one of ours
        "gr1:mine:1",
    ],
)
def test_a_stale_or_forged_group_button_is_not_read(data):
    assert parse_group_button(data) is None


def test_a_member_without_a_group_is_put_in_at_once():
    move = plan_move(None, False, 5, confirmed=False)
    assert not move.needs_confirmation and move.leaves_group_id is None and not move.loses_leader


def test_moving_a_member_from_another_group_is_confirmed_first():
    assert plan_move(3, False, 5, confirmed=False).needs_confirmation
    move = plan_move(3, False, 5, confirmed=True)
    assert not move.needs_confirmation and move.leaves_group_id == 3 and not move.loses_leader


def test_a_leader_who_moves_leaves_their_old_group_without_a_leader():
    move = plan_move(3, True, 5, confirmed=True)
    assert move.leaves_group_id == 3 and move.loses_leader


def test_putting_a_member_into_their_own_group_changes_nothing():
    move = plan_move(5, True, 5, confirmed=False)
    assert not move.needs_confirmation and move.leaves_group_id is None and not move.loses_leader


def test_group_names_are_trimmed_and_kept_short():
    assert clean_group_answer("  Laweyan   Barat ", "group_name") == ("Laweyan Barat", None)
    assert clean_group_answer("   ", "group_name") == (None, Problem.EMPTY)
    assert clean_group_answer(None, "area") == (None, Problem.NOT_TEXT)
    assert clean_group_answer("x" * 41, "group_name") == (None, Problem.TOO_LONG)
    assert clean_group_answer("x" * 60, "area") == ("x" * 60, None)


def test_a_group_name_is_used_once_whatever_its_case():
    assert name_taken("laweyan barat", ["Laweyan  Barat", "Sondakan"])
    assert not name_taken("Laweyan Timur", ["Laweyan Barat"])


def test_members_in_no_group_are_counted():
    assert unassigned_count(25, [8, 7]) == 10
    assert unassigned_count(3, []) == 3
    assert unassigned_count(0, [0]) == 0


def test_pages_never_run_past_the_end():
    assert page_count(0, 10) == 1
    assert page_count(25, 10) == 3
    assert page_count(30, 10) == 3
    assert clamp_page(7, 25, 10) == 2
    assert clamp_page(-1, 25, 10) == 0
    assert page_items(list(range(25)), 2, 10) == [20, 21, 22, 23, 24]

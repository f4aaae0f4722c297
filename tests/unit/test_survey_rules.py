"""The survey's buttons: one parser, typed taps, everything else stale."""

from __future__ import annotations

import pytest

from conversations.survey.rules import (
    ClosingTap,
    PlainTap,
    QuestionnaireTap,
    RoundTap,
    parse_tap,
    round_figures,
    tap_data,
)


@pytest.mark.parametrize(
    ("step", "values", "tap"),
    [
        ("list", (), PlainTap("list")),
        ("new", (), PlainTap("new")),
        ("title", (), PlainTap("title")),
        ("cl", ("2w",), ClosingTap("2w")),
        ("ans", (12,), RoundTap("ans", 12)),
        ("int", (12, 3), RoundTap("int", 12, 3)),
        ("iv", (12, 6001), RoundTap("iv", 12, 6001)),
        ("ivn", (12,), RoundTap("ivn", 12)),
        ("close", (12,), RoundTap("close", 12)),
        ("closeyes", (12,), RoundTap("closeyes", 12)),
        ("res", (12,), RoundTap("res", 12)),
        ("exp", (12,), RoundTap("exp", 12)),
        ("qs", (), PlainTap("qs")),
        ("imp", (), PlainTap("imp")),
        ("use", (0,), QuestionnaireTap("use", 0)),  # the built-in questionnaire
        ("newq", (7,), QuestionnaireTap("newq", 7)),
        ("xf", (7,), QuestionnaireTap("xf", 7)),
    ],
)
def test_every_button_the_survey_sends_reads_back_as_its_tap(step, values, tap):
    assert parse_tap(tap_data(step, *values)) == tap


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "sv1",
        "fm1:1:o:0:0",
        "sv1:ans",  # no round
        "sv1:ans:x",
        "sv1:ans:²",  # a digit int() would take
        "sv1:ans:12:3",  # one number too many
        "sv1:int:12",  # no page
        "sv1:iv:12:-1",
        "sv1:cl:3w",  # not a closing choice
        "sv1:list:1",
        "sv1:burn:12",
        "sv1:use",  # no questionnaire
        "sv1:use:x",
        "sv1:xf:7:1",
        "sv1:qs:1",
    ],
)
def test_any_other_data_is_stale(data):
    assert parse_tap(data) is None


def test_round_figures_count_the_invited_not_the_directory():
    # Invited to 5; 4 of them sent, so did the opener (9, not invited) and an interview of someone not listed.
    figures = round_figures([1, 2, 3, 4, 5], [1, 2, 3, 4, 9, None])
    assert figures.invited == 5
    assert figures.answers == 6  # every sheet: the results and the download count the same
    assert figures.not_yet == (5,)  # only the invited count as "not yet", never the opener
    assert round_figures([], [9]).not_yet == ()
    assert round_figures([3, 1], []).not_yet == (3, 1)  # in invitation order

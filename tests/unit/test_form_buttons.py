"""The form dialog's buttons: one parser, typed presses, everything else stale."""

from __future__ import annotations

import pytest

from bot.form_buttons import FormAction, FormButton, parse_form_button


@pytest.mark.parametrize(
    "press",
    [
        FormButton(7, FormAction.CHOOSE, 2, 4),
        FormButton(7, FormAction.TOGGLE, 0, 0),
        FormButton(7, FormAction.DONE, 3),
        FormButton(7, FormAction.SKIP, 1),
        FormButton(7, FormAction.BACK, 5),
        FormButton(7, FormAction.EDIT, 0),
        FormButton(7, FormAction.CONTINUE),
        FormButton(7, FormAction.LATER, 2),
        FormButton(7, FormAction.LATER),
        FormButton(7, FormAction.SEND),
    ],
)
def test_every_button_the_dialog_sends_reads_back_as_the_same_press(press):
    assert parse_form_button(press.data) == press
    assert len(press.data.encode()) <= 64


def test_the_wire_letters_of_buttons_already_on_phones_still_mean_the_same():
    assert parse_form_button("fm1:12:o:3:1") == FormButton(12, FormAction.CHOOSE, 3, 1)
    assert parse_form_button("fm1:12:l:0") == FormButton(12, FormAction.LATER, 0)
    assert parse_form_button("fm1:12:x") == FormButton(12, FormAction.SEND)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "fm1",
        "fm1:12",
        "sv1:12:o:3:1",  # another flow's
        "fm1:12:q:1",  # a letter no button carries
        "fm1:12:v",  # a letter no button carries any more
        "fm1:x:o:1:1",  # not a number
        "fm1:12:o:1",  # a choice missing
        "fm1:12:o:1:2:3",  # one number too many
        "fm1:12:x:1",
        "fm1:12:d:-1",
        "fm1:12:c:1",
        "fm1:12:o:²:1",  # a digit int() would not take
    ],
)
def test_any_other_data_is_stale(data):
    assert parse_form_button(data) is None

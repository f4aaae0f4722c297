"""The form dialog's buttons as typed values, and what a press can come to.

A button of a form carries ``fm1:<response>:<action>[:<question>[:<choice>]]``
(the letters are the wire format already on people's phones; the code speaks
``FormAction``). ``parse_form_button`` is the one place that reads it: a
button of another shape, with a letter no button carries or a number that
is not one, is ``None`` (stale or forged).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from bot.buttons import button_number

PREFIX = "fm1"


class FormAction(StrEnum):
    """What a form button asks for."""

    CHOOSE = "o"  # the one option of a select_one question: <question>:<choice>
    TOGGLE = "t"  # tick or untick an option of a select_multiple question: <question>:<choice>
    DONE = "d"  # the ticks of a select_multiple question are complete: <question>
    SKIP = "s"  # leave an optional question unanswered: <question>
    PICK = "p"  # a suggested entry as a text question's answer: <question>:<entry's number>
    BACK = "b"  # the question before: <question>
    EDIT = "e"  # from the review, change one answer: <question>
    CONTINUE = "c"  # show where the response stands (a nudge's button)
    LATER = "l"  # put the form aside: [<question>]
    SEND = "x"  # from the review, submit


ON_SCREEN = frozenset(
    {FormAction.CHOOSE, FormAction.TOGGLE, FormAction.DONE, FormAction.SKIP, FormAction.BACK, FormAction.PICK}
)
"""Actions that act on the question on screen: the button's question must still be the current one."""

_NUMBERS = {  # how many numbers after the action: (fewest, most)
    FormAction.CHOOSE: (2, 2),
    FormAction.TOGGLE: (2, 2),
    FormAction.DONE: (1, 1),
    FormAction.SKIP: (1, 1),
    FormAction.PICK: (2, 2),
    FormAction.BACK: (1, 1),
    FormAction.EDIT: (1, 1),
    FormAction.CONTINUE: (0, 0),
    FormAction.LATER: (0, 1),
    FormAction.SEND: (0, 0),
}


class Outcome(Enum):
    """What one press came to."""

    SHOWN = "shown"  # stored (or nothing to store): show where the response now stands
    STALE = "stale"  # an older question's button, someone else's response, a forged button
    CLOSED = "closed"  # the response's subject no longer takes answers
    INCOMPLETE = "incomplete"  # a required answer is missing
    PAUSED = "paused"  # put aside for later
    SUBMITTED = "submitted"  # sent


@dataclass(frozen=True)
class FormButton:
    """One press of a form button."""

    response_id: int
    action: FormAction
    question: int | None = None  # the question's index in the form
    choice: int | None = None  # the option's index in the question (PICK: the suggested entry's number)

    @property
    def data(self) -> str:
        """The callback data that carries this press."""
        numbers = [n for n in (self.question, self.choice) if n is not None]
        return ":".join([PREFIX, str(self.response_id), self.action.value, *(str(n) for n in numbers)])


def parse_form_button(data: str | None) -> FormButton | None:
    """The press a form button's callback data stands for, or ``None``."""
    pieces = (data or "").split(":")
    if len(pieces) < 3 or pieces[0] != PREFIX:
        return None
    try:
        action = FormAction(pieces[2])
    except ValueError:
        return None
    fewest, most = _NUMBERS[action]
    response_id, *numbers = [button_number(piece) for piece in (pieces[1], *pieces[3:])]
    if response_id is None or not fewest <= len(numbers) <= most or None in numbers:
        return None
    question, choice = ([*numbers, None, None])[:2]
    return FormButton(response_id, action, question, choice)

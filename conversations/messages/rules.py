"""Rules of writing to the facilitators: who is offered it, the buttons, and when typed text came too late.

Plain functions: no telegram, no aiosqlite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.buttons import button_number, callback_data, parse_callback
from conversations.brainstorm.rules import accepts_cards
from conversations.meetings.rules import checkin_window
from conversations.survey.rules import accepting

PREFIX = "lt1"
# How long after a collection, a round or a meeting ended typed text is read as meant for it.
LATE_WINDOW = timedelta(days=1)
# A brainstorming session keeps no time of its phase changes: its cards are collected within
# a day or two of opening it, so text that long after it opened may still be a card.
SESSION_WINDOW = timedelta(days=2)


class Writer(StrEnum):
    """What text typed outside any question can become, by who typed it."""

    NO_CLUSTER = "no_cluster"  # in no cluster: point to the menu (joining)
    FACILITATOR = "facilitator"  # a facilitator writes to no one: point to the menu
    MEMBER = "member"  # a member: offered as a message to the facilitators


def writer(in_cluster: bool, is_facilitator: bool) -> Writer:
    """Who typed text outside any question, as far as writing to the facilitators goes."""
    if not in_cluster:
        return Writer.NO_CLUSTER
    return Writer.FACILITATOR if is_facilitator else Writer.MEMBER


def clean_body(text: str | None) -> str | None:
    """A letter's text: trimmed, None when nothing is left."""
    cleaned = (text or "").strip()
    return cleaned or None


class LetterAction(StrEnum):
    """The buttons of a letter."""

    SEND = "send"  # the member: send the kept text to the facilitators
    DROP = "drop"  # the member: do not send it
    ANSWER = "re"  # a facilitator: answer the member ("Balas")


@dataclass(frozen=True)
class LetterTap:
    """A tapped letter button."""

    action: LetterAction
    letter_id: int


def letter_button_data(action: LetterAction, letter_id: int) -> str:
    """The callback data of a letter's button, e.g. ``lt1:send:12``."""
    return callback_data(PREFIX, action.value, letter_id)


def parse_letter_button(data: str | None) -> LetterTap | None:
    """The letter button in ``data``, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts or len(parts) != 2 or parts[0] not in {a.value for a in LetterAction}:
        return None
    letter_id = button_number(parts[1])
    return LetterTap(LetterAction(parts[0]), letter_id) if letter_id is not None else None


# -- typed text that came too late --------------------------------------------------------------


def round_closed(status: str, closes_at: datetime | None, now: datetime) -> bool:
    """Whether the survey round a person was answering no longer takes answers."""
    return not accepting(status, closes_at, now)


def collection_closed(phase: str, opened_at: datetime, now: datetime) -> bool:
    """Whether a person's newest brainstorming session stopped taking cards recently enough that text may be a card."""
    return not accepts_cards(phase) and now - opened_at <= SESSION_WINDOW


def meeting_over(starts_at: datetime, now: datetime) -> bool:
    """Whether a meeting ended (its check-in closed) within the last ``LATE_WINDOW``."""
    _opens, closes = checkin_window(starts_at)
    return closes <= now < closes + LATE_WINDOW


def survey_round_of(subject: str) -> int | None:
    """The survey round a form response answers (``survey_round:3``), or None for another kind of form."""
    kind, _sep, number = subject.partition(":")
    return button_number(number) if kind == "survey_round" else None

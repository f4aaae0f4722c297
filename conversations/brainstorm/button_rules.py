"""The brainstorming buttons (``bs1:<step>:<numbers or a word>``) as one typed value (plain functions).

Each step carries its own parts in a fixed order (``bs1:v:<session>:<theme>:<spent when drawn>:<page>``);
a trailing page may be left off (page 0, the first showing). Anything else is a stale or forged button:
``parse_tap`` returns None and the handler answers with the short stale answer. The audience step
(``bs1:au:...``) is read by the opening's audience picker itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.buttons import button_number
from bot.paging import MAX_PAGE
from conversations.brainstorm.rules import DOT_CHOICES, PHASES, PREFIX, SWOT_COLUMNS, TEMPLATES


class Step(StrEnum):
    """What a brainstorming button does (the word after ``bs1:``)."""

    LIST = "list"  # the sessions one takes part in or leads
    NEW = "new"  # open a new session
    OPEN = "o"  # a participant's view (session)
    PANEL = "p"  # the facilitator's panel (session)
    ADVANCE = "adv"  # move the session on (session, phase); a move that affects everyone asks first
    CONFIRM_ADVANCE = "advy"  # "Yes" on that confirm screen (session, phase)
    CARDS = "c"  # send cards (session)
    PAPER = "pc"  # the facilitator types in paper cards (session)
    COLUMN = "col"  # the SWOT part of the next cards (session, S|W|O|T)
    DONE = "cd"  # stop sending cards
    EDIT = "ce"  # replace one's card (card)
    WITHDRAW = "cw"  # take one's card back (card)
    BOARD = "b"  # all cards (session, page)
    FILE = "f"  # a voice or photo card again (card)
    GROUPING = "g"  # the themes (session, page)
    SUGGESTIONS = "sg"  # groups of alike loose cards (session)
    ACCEPT = "sa"  # make a suggested group a theme (session, its first card)
    NEW_THEME = "nt"  # type a new theme's title (session)
    THEME = "t"  # a theme and its cards (theme, page)
    MOVE_CARD = "tm"  # a card into the theme or out of it (theme, card, page)
    RENAME = "rn"  # type a theme's new title (theme)
    ASK_MERGE = "mg"  # which theme to merge into (theme)
    MERGE = "mi"  # merge the theme into another (theme, target)
    SUMMARY = "sm"  # type a voice or photo card's summary (card)
    BALLOT = "vt"  # a voter's ballot (session, page)
    PLACE = "v"  # one more dot (session, theme, spent when drawn, page)
    TAKE_BACK = "vu"  # one dot back (session, theme, spent when drawn, page)
    ROOM = "rd"  # dots from the room (session, page)
    ROOM_ADD = "ra"  # one more dot from the room (theme, count when drawn, page)
    ROOM_REMOVE = "rr"  # one dot less from the room (theme, count when drawn, page)
    LONGLIST = "sl"  # the ranked themes to mark the shortlist (session, page)
    TOGGLE = "st"  # a theme onto the shortlist or off it (theme, page)
    SEND_SHORTLIST = "ss"  # close the session and send the shortlist (session)
    PICTURE = "pic"  # the board as a picture (session)
    EXPORT = "x"  # the board as Excel and CSV (session)
    MEETING = "mt"  # opening: the session's meeting (meeting, 0: none)
    QUESTION = "q"  # opening: the suggested question
    TEMPLATE = "tp"  # opening: free question or SWOT (template)
    ANONYMOUS = "an"  # opening: anonymous cards or named (1|0)
    DOTS = "d"  # opening: dots per person (dots)
    GO = "go"  # opening: open the session


# The parts each step carries after its word, in order; "page" may be left off at the end.
_SHAPES: dict[Step, tuple[str, ...]] = {
    Step.LIST: (),
    Step.NEW: (),
    Step.OPEN: ("session_id",),
    Step.PANEL: ("session_id",),
    Step.ADVANCE: ("session_id", "phase"),
    Step.CONFIRM_ADVANCE: ("session_id", "phase"),
    Step.CARDS: ("session_id",),
    Step.PAPER: ("session_id",),
    Step.COLUMN: ("session_id", "column"),
    Step.DONE: (),
    Step.EDIT: ("card_id",),
    Step.WITHDRAW: ("card_id",),
    Step.BOARD: ("session_id", "page"),
    Step.FILE: ("card_id",),
    Step.GROUPING: ("session_id", "page"),
    Step.SUGGESTIONS: ("session_id",),
    Step.ACCEPT: ("session_id", "card_id"),
    Step.NEW_THEME: ("session_id",),
    Step.THEME: ("theme_id", "page"),
    Step.MOVE_CARD: ("theme_id", "card_id", "page"),
    Step.RENAME: ("theme_id",),
    Step.ASK_MERGE: ("theme_id",),
    Step.MERGE: ("theme_id", "target_id"),
    Step.SUMMARY: ("card_id",),
    Step.BALLOT: ("session_id", "page"),
    Step.PLACE: ("session_id", "theme_id", "seen", "page"),
    Step.TAKE_BACK: ("session_id", "theme_id", "seen", "page"),
    Step.ROOM: ("session_id", "page"),
    Step.ROOM_ADD: ("theme_id", "seen", "page"),
    Step.ROOM_REMOVE: ("theme_id", "seen", "page"),
    Step.LONGLIST: ("session_id", "page"),
    Step.TOGGLE: ("theme_id", "page"),
    Step.SEND_SHORTLIST: ("session_id",),
    Step.PICTURE: ("session_id",),
    Step.EXPORT: ("session_id",),
    Step.MEETING: ("meeting_id",),
    Step.QUESTION: (),
    Step.TEMPLATE: ("template",),
    Step.ANONYMOUS: ("anonymous",),
    Step.DOTS: ("dots",),
    Step.GO: (),
}
_IDS = {"session_id", "card_id", "theme_id", "target_id"}  # positive numbers
_COUNTS = {"seen": 10_000, "page": MAX_PAGE + 1}  # 0 or more, below these
_ZERO_OR_ID = {"meeting_id"}  # 0 names nothing (no meeting)
_WORDS = {"phase": PHASES, "column": SWOT_COLUMNS, "template": TEMPLATES}


@dataclass(frozen=True)
class BrainstormTap:
    """A parsed brainstorming button: its step and what it names (None where the step names nothing of the kind)."""

    step: Step
    session_id: int | None = None
    card_id: int | None = None
    theme_id: int | None = None
    target_id: int | None = None  # the theme a merge goes into
    seen: int = 0  # the dots spent (or counted from the room) when the button was drawn
    page: int = 0
    phase: str | None = None  # the phase a move goes to
    column: str | None = None  # S, W, O or T
    template: str | None = None  # free or swot
    meeting_id: int | None = None  # 0: no meeting
    anonymous: bool | None = None
    dots: int | None = None


def parse_tap(data: str | None) -> BrainstormTap | None:
    """The brainstorming button in ``data`` as a typed value, or None when it is stale, forged or malformed."""
    pieces = (data or "").split(":")
    if len(pieces) < 2 or pieces[0] != PREFIX:
        return None
    try:
        step = Step(pieces[1])
    except ValueError:
        return None
    shape, rest = _SHAPES[step], pieces[2:]
    if len(rest) != len(shape) and not (shape and shape[-1] == "page" and len(rest) == len(shape) - 1):
        return None
    numbers: dict[str, int] = {}
    words: dict[str, str] = {}
    for name, text in zip(shape, rest, strict=False):
        if name in _WORDS:
            if text not in _WORDS[name]:
                return None
            words[name] = text
            continue
        number = _number(name, text)
        if number is None:
            return None
        numbers[name] = number
    return BrainstormTap(
        step,
        session_id=numbers.get("session_id"),
        card_id=numbers.get("card_id"),
        theme_id=numbers.get("theme_id"),
        target_id=numbers.get("target_id"),
        seen=numbers.get("seen", 0),
        page=numbers.get("page", 0),
        phase=words.get("phase"),
        column=words.get("column"),
        template=words.get("template"),
        meeting_id=numbers.get("meeting_id"),
        anonymous=bool(numbers["anonymous"]) if "anonymous" in numbers else None,
        dots=numbers.get("dots"),
    )


def _number(name: str, text: str) -> int | None:
    """One numeric part of a button read as the field ``name``, or None when it cannot be that."""
    number = button_number(text)
    if number is None or name in _ZERO_OR_ID:
        return number
    if name in _IDS:
        return number if number > 0 else None
    if name in _COUNTS:
        return number if number < _COUNTS[name] else None
    if name == "anonymous":
        return number if number in (0, 1) else None
    if name == "dots":
        return number if number in DOT_CHOICES else None
    return None

"""Survey rules (plain functions): closing dates, round titles, who is still to answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.buttons import button_number, callback_data
from bot.settings import LANGUAGES
from bot.stale_rules import Verdict

PREFIX = "sv1"
FORM_ID = "annex1"
FIRM_PROFILE = "firm_profile"  # shipped by conversations/cluster_map: the yearly firm profile for the cluster's map
# The built-in questionnaires a round may ask, in button order (0, -1, ...: bot/form_library.py); add at the end.
BUILT_IN_FORMS = (FORM_ID, FIRM_PROFILE)
CLOSING_CHOICES = {"none": None, "1w": timedelta(weeks=1), "2w": timedelta(weeks=2), "1m": timedelta(days=30)}
TITLE_LIMIT = 80
ROUND_PAYLOAD_PREFIX = "survei-"  # /start survei-<round>: a member answers the round (the paper's QR code)


def closing_time(choice: str, now: datetime) -> tuple[bool, datetime | None]:
    """``(valid, closes_at)`` for a closing button (``none``, ``1w``, ``2w``, ``1m``)."""
    if choice not in CLOSING_CHOICES:
        return False, None
    delta = CLOSING_CHOICES[choice]
    return True, (now + delta if delta else None)


def accepting(status: str, closes_at: datetime | None, now: datetime) -> bool:
    """A round takes answers while open and before its closing time."""
    return status == "open" and (closes_at is None or now < closes_at)


def clean_title(text: str | None) -> str | None:
    """A round title: trimmed, 1 to 80 characters."""
    cleaned = " ".join((text or "").split())
    return cleaned if 0 < len(cleaned) <= TITLE_LIMIT else None


@dataclass(frozen=True)
class EntryCounts:
    """How a round's sent answers were entered: on the respondent's phone, in an interview, from paper."""

    phone: int = 0
    interview: int = 0
    paper: int = 0

    @property
    def total(self) -> int:
        """Every sent answer, however entered."""
        return self.phone + self.interview + self.paper


def entry_counts(sources: Iterable[str]) -> EntryCounts:
    """Count the ``source`` of each sent answer ('phone', 'interview', 'paper'); an unknown one counts as phone."""
    counted = {"phone": 0, "interview": 0, "paper": 0}
    for source in sources:
        counted[source if source in counted else "phone"] += 1
    return EntryCounts(**counted)


@dataclass(frozen=True)
class RoundFigures:
    """A round's figures, the same on the close confirmation, the results and the download."""

    invited: int  # the recipients of the round's invitation batch
    answers: int  # every submitted answer sheet: the invited, the opener, interviews
    not_yet: tuple[int, ...]  # invited people who have not sent theirs, in invitation order
    entries: EntryCounts = field(default_factory=EntryCounts)  # the answers, by how they were entered


def round_figures(
    invited: list[int], submitted: list[int | None], sources: Iterable[str] | None = None
) -> RoundFigures:
    """``invited``: who got the round's invitation; ``submitted``: the respondent of each submitted
    sheet (``None`` for an interview of someone not in the list). The opener is not invited (they
    opened it); their own answers count among the answers, never among "not yet". ``sources``: how
    each sheet was entered, in the same order (all by phone when not given)."""
    done = set(submitted)
    return RoundFigures(
        invited=len(invited),
        answers=len(submitted),
        not_yet=tuple(u for u in invited if u not in done),
        entries=entry_counts(sources if sources is not None else ["phone"] * len(submitted)),
    )


# -- buttons ----------------------------------------------------------------------------------------------
# sv1:<step>[:<round>[:<number>]] or sv1:cl:<closing>; each handler reads its tap with ``parse_tap``.

ROUND_STEPS = {  # steps that name a round, and whether a second number (a page, a member) follows
    "ans": False,  # answer one's own
    "int": True,  # the interview list, at a page
    "iv": True,  # interview a member
    "ivn": False,  # interview someone not in the list
    "pp": True,  # paper questionnaires: whose sheet is next, at a page of the member list
    "pv": True,  # enter a member's paper questionnaire
    "ppn": False,  # enter the paper questionnaire of someone not in the list
    "pc": True,  # continue an unsent paper questionnaire (the number is the response)
    "close": False,  # ask to close
    "closeyes": False,  # close
    "res": False,  # results
    "exp": False,  # downloads
    "prt": True,  # the questionnaire to print, in a language (its place in LANGUAGES)
}
PLAIN_STEPS = frozenset({"list", "new", "title", "qs", "imp"})  # qs: the questionnaires; imp: how to bring one
QUESTIONNAIRE_STEPS = frozenset({"use", "newq", "xf"})  # choose for a new round, open a round with, XLSForm of


@dataclass(frozen=True)
class RoundTap:
    """A button about one round: ``number`` is the page of ``int``/``pp``, the member of ``iv``/``pv``,
    the response of ``pc``."""

    step: str
    round_id: int
    number: int | None = None


@dataclass(frozen=True)
class ClosingTap:
    """A closing-date button of a new round (one of ``CLOSING_CHOICES``)."""

    choice: str


@dataclass(frozen=True)
class PlainTap:
    """A button that names nothing: the round list, a new round, the suggested title."""

    step: str


@dataclass(frozen=True)
class QuestionnaireTap:
    """A button about one questionnaire: ``number`` is its stored id, or 0, -1, ... for a built-in one."""

    step: str
    number: int


def questionnaire_number(text: str) -> int | None:
    """The questionnaire a button part names: a stored id, or a built-in's 0, -1, ... (bot/form_library.py); None when forged."""
    number = button_number(text.removeprefix("-"))
    if number is None or (text.startswith("-") and not 0 < number < len(BUILT_IN_FORMS)):
        return None
    return -number if text.startswith("-") else number


def parse_tap(data: str | None) -> RoundTap | ClosingTap | PlainTap | QuestionnaireTap | None:
    """The survey button ``data`` stands for, or ``None`` (stale, forged, another flow's)."""
    pieces = (data or "").split(":")
    if len(pieces) < 2 or pieces[0] != PREFIX:
        return None
    step, values = pieces[1], pieces[2:]
    if step in PLAIN_STEPS:
        return PlainTap(step) if not values else None
    if step == "cl":
        return ClosingTap(values[0]) if len(values) == 1 and values[0] in CLOSING_CHOICES else None
    if step in QUESTIONNAIRE_STEPS:
        number = questionnaire_number(values[0]) if len(values) == 1 else None
        return QuestionnaireTap(step, number) if number is not None else None
    if step not in ROUND_STEPS or len(values) != 1 + ROUND_STEPS[step]:
        return None
    numbers = [button_number(value) for value in values]
    if any(number is None for number in numbers):
        return None
    round_id = numbers[0]
    assert round_id is not None
    return RoundTap(step, round_id, numbers[1] if len(numbers) == 2 else None)


def tap_data(step: str, *values: object) -> str:
    """The callback data of a survey button (the inverse of ``parse_tap``)."""
    return callback_data(PREFIX, step, *values)


def print_language(number: int | None) -> str | None:
    """The language a print button names (its place in ``LANGUAGES``), or None."""
    return LANGUAGES[number] if number is not None and 0 <= number < len(LANGUAGES) else None


def language_number(lang: str) -> int:
    """A language's place in ``LANGUAGES`` (what a print button carries)."""
    return LANGUAGES.index(lang)


def round_payload(round_id: int) -> str:
    """The deep-link payload that opens a round for answering."""
    return f"{ROUND_PAYLOAD_PREFIX}{round_id}"


def round_of_payload(payload: str | None) -> int | None:
    """The round a deep-link payload names, or None (mistyped, forged)."""
    if not payload or not payload.startswith(ROUND_PAYLOAD_PREFIX):
        return None
    return button_number(payload.removeprefix(ROUND_PAYLOAD_PREFIX)) or None


def round_verdict(*, accepting: bool, newer: bool, sent: bool) -> Verdict | None:
    """What happened to the round an old button is about: a newer round took its place, it closed, or
    (still open) the person's answers were already sent; None when none of these (the button failed otherwise)."""
    if not accepting:
        return Verdict.REPLACED if newer else Verdict.CLOSED
    return Verdict.DONE if sent else None

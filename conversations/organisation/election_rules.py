"""Which tap an election accepts when: the set-up's steps in order, and a vote only from its confirm screen.

Plain functions (no ``telegram``, no ``aiosqlite``). A button replayed out of
order, or forged, parses to a typed value or ``None`` and is then checked
against the step the draft (or the ballot) is at, before anything is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.stale_rules import Verdict
from conversations.organisation.rules import CANDIDACY, POSITIONS, PREFIX, TIE_RULES, VOTERS


class SetupStep(StrEnum):
    """Where a new election's set-up stands: each step shows its own buttons."""

    POSITIONS = "positions"
    VOTERS = "voters"
    MEETING = "meeting"
    CANDIDACY = "candidacy"
    TIE_RULE = "tie_rule"
    REVIEW = "review"


@dataclass(frozen=True)
class SetupTap:
    """A set-up button: ``ep:<position>``, ``epd``, ``ev:<voters>``, ``em:<meeting>``, ``ec:<how>``, ``et:<rule>``, ``ego``."""

    key: str
    value: str | None = None

    @property
    def meeting_id(self) -> int | None:
        """The meeting an ``em`` tap names."""
        return int(self.value) if self.key == "em" and self.value else None


_VALUES: dict[str, tuple[str, ...] | None] = {
    "ep": POSITIONS,
    "epd": None,
    "ev": VOTERS,
    "em": (),
    "ec": CANDIDACY,
    "et": TIE_RULES,
    "ego": None,
}
# The keys each step's screen offers: the meeting step also offers "all members" when there is no meeting.
_KEYS: dict[SetupStep, frozenset[str]] = {
    SetupStep.POSITIONS: frozenset({"ep", "epd"}),
    SetupStep.VOTERS: frozenset({"ev"}),
    SetupStep.MEETING: frozenset({"em", "ev"}),
    SetupStep.CANDIDACY: frozenset({"ec"}),
    SetupStep.TIE_RULE: frozenset({"et"}),
    SetupStep.REVIEW: frozenset({"ego"}),
}


def parse_setup_tap(data: str | None) -> SetupTap | None:
    """The set-up button in ``og1:...`` data, or None when it is no set-up button or its value is unknown."""
    pieces = (data or "").split(":")
    if len(pieces) < 2 or pieces[0] != PREFIX or pieces[1] not in _VALUES:
        return None
    key, rest = pieces[1], pieces[2:]
    allowed = _VALUES[key]
    if allowed is None:
        return SetupTap(key) if not rest else None
    if len(rest) != 1:
        return None
    value = rest[0]
    if key == "em":
        return SetupTap(key, value) if value.isdigit() and int(value) > 0 else None
    return SetupTap(key, value) if value in allowed else None


def setup_step(draft: Mapping[str, Any]) -> SetupStep:
    """The step a set-up draft is at: the first question it has no answer to."""
    if not draft.get("positions_done"):
        return SetupStep.POSITIONS
    if "voters" not in draft:
        return SetupStep.VOTERS
    if draft["voters"] == "meeting" and not draft.get("meeting_id"):
        return SetupStep.MEETING
    if "candidacy" not in draft:
        return SetupStep.CANDIDACY
    if "tie_rule" not in draft:
        return SetupStep.TIE_RULE
    return SetupStep.REVIEW


def fits_step(step: SetupStep, tap: SetupTap) -> bool:
    """Whether ``tap`` is a button of the screen the set-up is at (an earlier screen's button is stale)."""
    return tap.key in _KEYS[step]


def setup_change(draft: Mapping[str, Any], tap: SetupTap) -> dict[str, Any]:
    """The answers a fitting tap stores (an ``em`` tap's meeting is checked against the cluster by the caller)."""
    if tap.key == "ep":
        return {"positions": [p for p in POSITIONS if (p in draft.get("positions", [])) != (p == tap.value)]}
    if tap.key == "epd":
        return {"positions_done": True}
    if tap.key == "ev":
        return {"voters": tap.value}
    if tap.key == "em":
        return {"meeting_id": tap.meeting_id}
    if tap.key == "ec":
        return {"candidacy": tap.value}
    if tap.key == "et":
        return {"tie_rule": tap.value}
    return {}


# -- voting ------------------------------------------------------------------------------

KEY_LENGTH = 16  # hex characters of a confirm screen's one-time key


@dataclass(frozen=True)
class BallotTap:
    """A tap on a ballot: open it (``bc:<contest>``), choose (``bp:<contest>:<candidate>``),
    cast (``bx:<contest>:<candidate>:<key>``; a cast without its confirm screen's key has ``key`` None)."""

    contest: int
    candidate: int | None = None
    key: str | None = None


def parse_ballot_tap(data: str | None, kind: str) -> BallotTap | None:
    """The ``kind`` ("bc", "bp" or "bx") tap in ``data``, or None when it is another or malformed."""
    pieces = (data or "").split(":")
    if len(pieces) < 3 or pieces[0] != PREFIX or pieces[1] != kind:
        return None
    numbers = pieces[2:4]
    if not all(n.isdigit() and int(n) > 0 for n in numbers):
        return None
    if kind == "bc":
        return BallotTap(int(pieces[2])) if len(pieces) == 3 else None
    if kind == "bp":
        return BallotTap(int(pieces[2]), int(pieces[3])) if len(pieces) == 4 else None
    if kind == "bx" and len(pieces) in (4, 5):
        key = pieces[4] if len(pieces) == 5 else None
        if key is not None and (len(key) != KEY_LENGTH or any(c not in "0123456789abcdef" for c in key)):
            return None
        return BallotTap(int(pieces[2]), int(pieces[3]), key)
    return None


def new_confirmation_key() -> str:
    """A fresh one-time key for a confirm screen's Cast button."""
    return secrets.token_hex(KEY_LENGTH // 2)


def seal_of(key: str, candidate: int) -> str:
    """What the database keeps of a confirm screen: no choice, only a hash that its Cast button matches."""
    return hashlib.sha256(f"{key}:{candidate}".encode()).hexdigest()


def was_confirmed(stored_seal: str | None, tap: BallotTap) -> bool:
    """Whether a cast tap comes from the voter's latest confirm screen, for the choice shown there."""
    if stored_seal is None or tap.key is None or tap.candidate is None:
        return False
    return secrets.compare_digest(stored_seal, seal_of(tap.key, tap.candidate))


def election_verdict(status: str, contest_open: bool | None) -> Verdict | None:
    """What happened to the election an old button is about: it closed (the count is done), or this ballot
    closed (a run-off may follow); None while it still takes votes there (the button failed otherwise)."""
    if status == "closed":
        return Verdict.FINISHED
    if contest_open is False:
        return Verdict.CLOSED
    return None

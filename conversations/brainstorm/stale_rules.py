"""What happened to the brainstorming session an old button is about (pure: the stale-button engine's verdict)."""

from __future__ import annotations

from enum import StrEnum

from bot.stale_rules import Verdict
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.rules import PHASES


class Stage(StrEnum):
    """Which part of a session a button works in."""

    CARDS = "cards"  # sending or changing cards
    VOTES = "votes"  # placing or taking back dots
    MOVE = "move"  # moving the session on (the facilitator's panel and its confirm screen)
    OTHER = "other"


STAGES = {
    Step.CARDS: Stage.CARDS,
    Step.PAPER: Stage.CARDS,
    Step.COLUMN: Stage.CARDS,
    Step.DONE: Stage.CARDS,
    Step.EDIT: Stage.CARDS,
    Step.WITHDRAW: Stage.CARDS,
    Step.BALLOT: Stage.VOTES,
    Step.PLACE: Stage.VOTES,
    Step.TAKE_BACK: Stage.VOTES,
    Step.ROOM: Stage.VOTES,
    Step.ROOM_ADD: Stage.VOTES,
    Step.ROOM_REMOVE: Stage.VOTES,
    Step.ADVANCE: Stage.MOVE,
    Step.CONFIRM_ADVANCE: Stage.MOVE,
}


def session_verdict(phase: str, step: Step, moving_to: str | None = None) -> Verdict | None:
    """Why a session's button no longer works: the session finished, its card collection or its voting
    closed, or (a move) the session is already there or past it; None when the button fits the phase."""
    stage = STAGES.get(step, Stage.OTHER)
    if stage is Stage.MOVE and moving_to in PHASES and PHASES.index(phase) >= PHASES.index(moving_to):
        return Verdict.DONE
    if phase == "closed":
        return Verdict.FINISHED
    if stage is Stage.CARDS and phase != "collecting":
        return Verdict.CLOSED
    if stage is Stage.VOTES and PHASES.index(phase) > PHASES.index("voting"):
        return Verdict.CLOSED
    return None

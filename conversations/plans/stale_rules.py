"""What happened to the action plan an old button is about (pure: the stale-button engine's plan verdict)."""

from __future__ import annotations

from bot.stale_rules import Verdict

BUILDING_KEYS = frozenset({"pub", "puby", "out", "ind", "act", "pdm"})  # buttons of a plan still being built


def plan_verdict(status: str, key: str) -> Verdict | None:
    """Why a plan's button no longer works: the plan is closed, or (a button of building it) already
    published; None otherwise (the button failed for another reason)."""
    if status == "closed":
        return Verdict.CLOSED
    if status == "published" and key in BUILDING_KEYS:
        return Verdict.DONE
    return None

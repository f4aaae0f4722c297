"""What happened to the meeting an old button is about (pure: the stale-button engine's meeting verdict)."""

from __future__ import annotations

from datetime import datetime

from bot.stale_rules import Verdict
from conversations.meetings.rules import checkin_window


def meeting_verdict(*, cancelled: bool, starts_at: datetime, now: datetime, rsvp: bool) -> Verdict | None:
    """Why a meeting's button no longer works: called off, over (its check-in window has passed), or, for an
    RSVP, begun; None while the meeting is still ahead (the button failed for another reason)."""
    if cancelled:
        return Verdict.CANCELLED
    if now > checkin_window(starts_at)[1]:
        return Verdict.FINISHED
    if rsvp and now >= starts_at:
        return Verdict.STARTED
    return None

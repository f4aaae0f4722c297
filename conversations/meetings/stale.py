"""Old meeting buttons speak: an RSVP card of a cancelled, begun or past meeting says so, with the way on."""

from __future__ import annotations

from html import escape
from typing import Any

import aiosqlite
from telegram import InlineKeyboardButton

from bot.buttons import callback_data
from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from bot.stale_rules import Verdict
from conversations.meetings.rules import PREFIX, MeetingTap, RsvpTap, parse_button
from conversations.meetings.stale_rules import meeting_verdict
from storage import meetings


async def explain_meeting(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the meeting an old ``mt1`` button names (None: it names none, or nothing happened)."""
    parsed = parse_button(tap.data)
    meeting_id = parsed.meeting_id if isinstance(parsed, RsvpTap | MeetingTap) else None
    meeting = await meetings.get_meeting(conn, meeting_id) if meeting_id else None
    if meeting is None:
        return None
    here = await belongs_here(conn, tap, meeting.cluster_id)
    if here is not True:
        return here or None  # left it, or works elsewhere now; nothing for a stranger
    verdict = meeting_verdict(
        cancelled=meeting.cancelled, starts_at=meeting.starts_at, now=tap.now, rsvp=isinstance(parsed, RsvpTap)
    )
    return meeting_explanation(tap.lang, meeting.topic, verdict) if verdict else None


def meeting_explanation(lang: str, topic: str, verdict: Verdict) -> Explanation:
    """The sentence for a meeting's verdict, and the way on: the upcoming meetings."""
    _ = translator(lang).gettext
    name = escape(topic)
    if verdict is Verdict.CANCELLED:
        toast, text = _("This meeting was cancelled."), _("The meeting <b>{name}</b> was cancelled.")
    elif verdict is Verdict.STARTED:
        toast = _("This meeting has started.")
        text = _("The meeting <b>{name}</b> has started; answers about coming are closed.")
    else:
        toast, text = _("This meeting is over."), _("The meeting <b>{name}</b> is over.")
    upcoming = InlineKeyboardButton(_("📅 Upcoming meetings"), callback_data=callback_data(PREFIX, "list"))
    return Explanation(toast, text.format(name=name), (upcoming,))


def invitations_sent(lang: str, effect: dict[str, Any]) -> Explanation:
    """The scheduling review's "Send the invitations" tapped again: scheduled once, invited once."""
    _ = translator(lang).gettext
    upcoming = InlineKeyboardButton(_("📅 Upcoming meetings"), callback_data=callback_data(PREFIX, "list"))
    return Explanation(
        _("Done already."),
        _("This meeting was already scheduled and its invitations sent; nothing was sent twice."),
        (upcoming,),
    )


def register(application: RembugApplication) -> None:
    """Let old meeting buttons speak."""
    stale = application.services.state(StaleButtons)
    stale.add(PREFIX, explain_meeting)
    stale.done("meeting", invitations_sent)  # the scheduling flow's draft (``schedule.FLOW``)

"""Old brainstorming buttons speak: a card or dot button of a session that moved on says so, with the way on."""

from __future__ import annotations

from html import escape

import aiosqlite
from telegram import InlineKeyboardButton

from bot.buttons import callback_data
from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from bot.stale_rules import Verdict
from conversations.brainstorm.button_rules import Step, parse_tap
from conversations.brainstorm.rules import PREFIX
from conversations.brainstorm.stale_rules import STAGES, Stage, session_verdict
from conversations.brainstorm.views import phase_label
from storage import brainstorm, brainstorm_votes


async def explain_session(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the session an old ``bs1`` button is about (by its session, card or theme)."""
    parsed = parse_tap(tap.data)
    if parsed is None:
        return None
    session_id = parsed.session_id
    if session_id is None and parsed.card_id is not None:
        card = await brainstorm.get_card(conn, parsed.card_id)
        session_id = card.session_id if card else None
    if session_id is None and parsed.theme_id is not None:
        theme = await brainstorm_votes.get_theme(conn, parsed.theme_id)
        session_id = theme.session_id if theme else None
    session = await brainstorm.get_session(conn, session_id) if session_id else None
    if session is None:
        return None
    here = await belongs_here(conn, tap, session.cluster_id)
    if here is not True:
        return here or None  # left it, or works elsewhere now; nothing for a stranger
    verdict = session_verdict(session.phase, parsed.step, parsed.phase)
    if verdict is None:
        return None
    manager = parsed.step in (Step.ADVANCE, Step.CONFIRM_ADVANCE) or tap.user_id == session.facilitator_id
    stage = STAGES.get(parsed.step, Stage.OTHER)
    return session_explanation(tap.lang, session.id, session.question, session.phase, verdict, stage, manager)


def session_explanation(
    lang: str, session_id: int, question: str, phase: str, verdict: Verdict, stage: Stage, manager: bool
) -> Explanation:
    """The sentence for a session's verdict; the way on: the session as it is now."""
    _ = translator(lang).gettext
    name = escape(question)
    if verdict is Verdict.DONE:
        toast = _("Done already.")
        text = _("This step was already taken: “{question}” is now at <b>{phase}</b>.").format(
            question=name, phase=escape(phase_label(lang, phase))
        )
    elif verdict is Verdict.FINISHED:
        toast = _("This brainstorming session has finished.")
        text = _("The brainstorming session “{question}” has finished.").format(question=name)
    elif stage is Stage.VOTES:
        toast = _("Dot voting has closed.")
        text = _("Dot voting in “{question}” has closed; dots can no longer be placed or taken back.").format(
            question=name
        )
    else:
        toast = _("Collecting cards has closed.")
        text = _("Collecting cards in “{question}” has closed; cards can no longer be sent or changed.").format(
            question=name
        )
    forward = InlineKeyboardButton(
        _("💡 Open the session"), callback_data=callback_data(PREFIX, "p" if manager else "o", session_id)
    )
    return Explanation(toast, text, (forward,))


def register(application: RembugApplication) -> None:
    """Let old brainstorming buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_session)

"""Finding the session a button names, who may lead or join it, and the facilitator's live panel.

The panel is one message per session in the facilitator's chat (its id is
stored): cards and dots edit it, at most once a second per session (bursts are
coalesced into one later edit), and never to the content it already shows (a
fingerprint of the content is stored beside the id, so this holds across
restarts too).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from html import unescape

import aiosqlite
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.i18n import translator
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action, Role
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.brainstorm import views
from conversations.brainstorm.button_rules import BrainstormTap, Step, parse_tap
from conversations.brainstorm.rules import PREFIX, leads
from storage import brainstorm, brainstorm_votes, meetings, small_groups
from storage import reminders as due_messages
from storage.brainstorm import Session

_LOGGER = logging.getLogger(__name__)
MIN_GAP = 1.0  # seconds between two edits of one panel
_TAGS = re.compile(r"<[^>]+>")


async def read_tap(update: Update, context: RembugContext, *steps: Step) -> BrainstormTap | None:
    """The tapped button, when it is one of ``steps``; a stale, forged or malformed one is answered here."""
    tap = parse_tap(query_of(update).data)
    if tap is None or tap.step not in steps:
        await explain_stale(update, context)
        return None
    return tap


def manages(context: RembugContext, session: Session) -> bool:
    """A facilitator of the cluster, or the group leader who opened the session."""
    return leads(
        session.cluster_id,
        session.facilitator_id,
        context.standing.cluster_id,
        Role.FACILITATOR in context.standing.roles,
        context.user.id,
    )


async def managed_session(update: Update, context: RembugContext, session_id: int | None) -> Session | None:
    """The session, when the sender leads it; otherwise a short refusal."""
    async with context.db.read() as conn:
        session = await brainstorm.get_session(conn, session_id) if session_id else None
    if session is None or session.cluster_id != context.standing.cluster_id:
        if await require(update, context, Action.RUN_BRAINSTORM):
            await answer_tap(update.callback_query, views.stale(context.lang))
        return None
    if not manages(context, session):
        await answer_tap(
            update.callback_query, context.gettext("Only the facilitator of this session can do this."), show_alert=True
        )
        return None
    return session


async def joined_session(update: Update, context: RembugContext, session_id: int | None) -> Session | None:
    """The session, when the sender takes part in it (or leads it); otherwise a short refusal."""
    if not await require(update, context, Action.JOIN_BRAINSTORM):
        return None
    async with context.db.read() as conn:
        session = await brainstorm.get_session(conn, session_id) if session_id else None
        joined = session is not None and await brainstorm.is_participant(conn, session.id, context.user.id)
    if session is None or session.cluster_id != context.standing.cluster_id:
        await explain_stale(update, context)
        return None
    if not joined and not manages(context, session):
        await answer_tap(update.callback_query, views.refused(context.lang, "not_participant"), show_alert=True)
        return None
    return session


async def audience_text(conn: aiosqlite.Connection, lang: str, session: Session) -> str:
    """Who takes part, in words: the meeting's topic, the small group's name, or the whole cluster."""
    _ = translator(lang).gettext
    if session.audience == "meeting" and session.meeting_id:
        meeting = await meetings.get_meeting(conn, session.meeting_id)
        return _("Invitees of “{topic}”").format(topic=meeting.topic) if meeting else "-"
    if session.audience == "group" and session.small_group_id:
        group = await small_groups.get_group(conn, session.small_group_id)
        return group.name if group else "-"
    return _("Whole cluster")


async def render_panel(conn: aiosqlite.Connection, session: Session, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's panel as it stands."""
    people = await brainstorm.participants(conn, session.id)
    counts, authors = await brainstorm.card_counts(conn, session.id)
    turnout = None
    if session.phase in ("voting", "results", "closed"):
        voted = await brainstorm_votes.voters(conn, session.id)
        turnout = [p.full_name for p in people if p.user_id in voted]
    audience = await audience_text(conn, lang, session)
    return views.panel(lang, session, audience, len(people), counts, authors, turnout)


def fingerprint(text: str, keyboard: InlineKeyboardMarkup | None) -> str:
    """A short digest of a message's content, to tell whether an edit would change anything."""
    markup = json.dumps(keyboard.to_dict() if keyboard else None, sort_keys=True)
    return hashlib.sha1(f"{text}\n{markup}".encode()).hexdigest()


async def send_panel(update: Update, context: RembugContext, session: Session, intro: str | None = None) -> None:
    """The panel (in place of the tapped list, else as a new message); for the session's own facilitator it is the live one."""
    async with context.db.read() as conn:
        text, keyboard = await render_panel(conn, session, context.lang)
    if intro:
        text = intro + "\n\n" + text
    if update.callback_query and not intro:
        message = await show(update, text, keyboard)
    else:
        message = await chat_of(update).send_message(text, reply_markup=keyboard)
    if message is not None and context.user.id == session.facilitator_id:
        async with context.db.transaction() as tx:
            await brainstorm.set_counter_message(tx, session.id, message.message_id, fingerprint(text, keyboard))


@dataclass
class PanelState:
    """A live panel's pacing: when it was last edited, whether an edit is planned, one edit at a time."""

    last: float = 0.0
    pending: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class LivePanels(dict[int, PanelState]):
    """The process's live panels, by session (``services.state(LivePanels)``)."""


def _state(application: RembugApplication, session_id: int) -> PanelState:
    return application.services.state(LivePanels).setdefault(session_id, PanelState())


async def refresh_panel(application: RembugApplication, session_id: int) -> None:
    """Bring the live panel up to date now, or in a moment if it was edited less than a second ago."""
    state = _state(application, session_id)
    wait = state.last + MIN_GAP - time.monotonic()
    if wait > 0:
        if not state.pending and application.job_queue is not None:
            state.pending = True
            application.job_queue.run_once(
                _refresh_later, when=wait, data=session_id, name=f"brainstorm-panel-{session_id}"
            )
        return
    await _edit_panel(application, session_id)


async def _refresh_later(context: RembugContext) -> None:
    session_id = context.job.data if context.job else None
    if not isinstance(session_id, int):  # run_once above always gives the session
        return
    _state(context.app, session_id).pending = False
    await _edit_panel(context.app, session_id)


async def _edit_panel(application: RembugApplication, session_id: int) -> None:
    state = _state(application, session_id)
    db = application.services.db
    async with state.lock:
        state.last = time.monotonic()
        async with db.read() as conn:
            session = await brainstorm.get_session(conn, session_id)
            if session is None or session.counter_message_id is None:
                return
            lang = await language_of(conn, session.facilitator_id, application.services.settings.language)
            text, keyboard = await render_panel(conn, session, lang)
            shown = await brainstorm.counter_shown(conn, session_id)
        digest = fingerprint(text, keyboard)
        if digest == shown:
            return
        try:
            await application.bot.edit_message_text(
                text, chat_id=session.facilitator_id, message_id=session.counter_message_id, reply_markup=keyboard
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                _LOGGER.info("panel of session %s could not be edited: %s", session_id, error)
                async with db.transaction() as tx:
                    await brainstorm.set_counter_message(tx, session_id, None, None)
                return
        async with db.transaction() as tx:
            await brainstorm.set_counter_shown(tx, session_id, session.counter_message_id, digest)


async def show_panel_here(update: Update, context: RembugContext, session_id: int) -> None:
    """After a facilitator's tap on a panel: the live panel is edited; any other panel message too."""
    message = query_of(update).message if update.callback_query else None
    async with context.db.read() as conn:
        session = await brainstorm.get_session(conn, session_id)
    if session is None:  # sessions are never deleted; the caller has just read this one
        raise LookupError(f"brainstorm session {session_id} is gone")
    if (
        message is not None
        and message.message_id == session.counter_message_id
        and context.user.id == session.facilitator_id
    ):
        await _edit_panel(context.app, session_id)
        return
    async with context.db.read() as conn:
        text, keyboard = await render_panel(conn, session, context.lang)
    await show(update, text, keyboard)
    await refresh_panel(context.app, session_id)


def _is_home(message: Message) -> bool:
    """A session's home screen (the panel, a participant's view): kept, not edited into a sub-view."""
    markup = message.reply_markup
    home = callback_data(PREFIX, "list")
    return markup is not None and any(b.callback_data == home for row in markup.inline_keyboard for b in row)


async def show(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> Message | None:
    """Edit the tapped message into ``text`` unless it already shows exactly that (Telegram refuses such
    edits); a home screen stays as it is and the view comes as a new message."""
    message = query_of(update).message if update.callback_query else None
    if isinstance(message, Message) and message.text is not None:  # not an inaccessible (old) message
        plain = unescape(_TAGS.sub("", text)).strip()
        if message.text.strip() == plain and message.reply_markup == keyboard:
            return None
        if _is_home(message) and not (keyboard and _is_home_markup(keyboard)):
            return await chat_of(update).send_message(text, reply_markup=keyboard)
    return await answer(update, text, keyboard)


def _is_home_markup(keyboard: InlineKeyboardMarkup) -> bool:
    home = callback_data(PREFIX, "list")
    return any(b.callback_data == home for row in keyboard.inline_keyboard for b in row)


async def plan_for_participants(tx: aiosqlite.Connection, session: Session, kind: str, step: str, now) -> int:
    """A due message of ``kind`` (due now) for every participant, once each; returns how many."""
    people = await brainstorm.participants(tx, session.id)
    for person in people:
        await due_messages.schedule(
            tx,
            f"brainstorm:{session.id}:{step}:{person.user_id}",
            kind,
            now,
            {"session": session.id, "user": person.user_id},
            now,
        )
    return len(people)

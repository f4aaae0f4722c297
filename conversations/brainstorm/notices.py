"""Messages to every participant, sent through the reminder engine (due now, each exactly once).

Opening sends the rules; the reveal, the opening of the voting and the
shortlist each send one message. The phase moves and the notices are planned
in one transaction, so a restart neither loses nor repeats one.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from bot.recipients import language_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.brainstorm import views, vote_views
from conversations.brainstorm.rules import PREFIX
from storage import brainstorm, brainstorm_votes, clusters
from storage.brainstorm import Session
from storage.clusters import Cluster
from storage.reminders import Due

RULES, REVEAL, VOTING, SHORTLIST = "brainstorm.rules", "brainstorm.reveal", "brainstorm.voting", "brainstorm.shortlist"


async def _context_of(application: RembugApplication, due: Due) -> tuple[Session, Cluster, str]:
    async with application.services.db.read() as conn:
        session = await brainstorm.get_session(conn, due.payload["session"])
        cluster = await clusters.get_cluster(conn, session.cluster_id) if session else None
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    if session is None or cluster is None:  # sessions and clusters are never deleted
        raise Skip("the session is gone")
    return session, cluster, lang


async def send_rules(due: Due, application: RembugApplication) -> str:
    """The question and the four rules, with "✍️ Send a card"."""
    session, cluster, lang = await _context_of(application, due)
    if session.phase != "collecting":
        raise Skip("collecting closed")
    text, keyboard = views.rules_message(lang, session, cluster.name)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "rules sent"


async def send_reveal(due: Due, application: RembugApplication) -> str:
    """The cards are on the board for everyone."""
    session, _cluster, lang = await _context_of(application, due)
    _ = translator(lang).gettext
    async with application.services.db.read() as conn:
        count = len(await brainstorm.cards_of(conn, session.id))
    text = (
        views.session_title(lang, session)
        + "\n"
        + _("👀 The cards are revealed: {count} ideas. See them all.").format(count=count)
    )
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("🗂 All cards"), callback_data=callback_data(PREFIX, "b", session.id, 0))]]
    )
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "reveal sent"


async def send_voting(due: Due, application: RembugApplication) -> str:
    """The voting is open: the participant's dots."""
    session, _cluster, lang = await _context_of(application, due)
    if session.phase != "voting":
        raise Skip("voting closed")
    _ = translator(lang).gettext
    async with application.services.db.read() as conn:
        themes = await brainstorm_votes.themes_of(conn, session.id)
    text = (
        views.session_title(lang, session)
        + "\n"
        + _("🗳 The dot voting is open: {count} themes, {dots} dots for you.").format(
            count=len(themes), dots=session.dots
        )
    )
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("🗳 Vote with your dots"), callback_data=callback_data(PREFIX, "vt", session.id, 0))]]
    )
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "voting sent"


async def send_shortlist(due: Due, application: RembugApplication) -> str:
    """The shortlist the cluster picked."""
    session, cluster, lang = await _context_of(application, due)
    async with application.services.db.read() as conn:
        items = await brainstorm_votes.shortlist_of(conn, session.id)
    await application.bot.send_message(
        due.payload["user"], vote_views.shortlist_message(lang, session, items, cluster.name)
    )
    return "shortlist sent"


def register(application: RembugApplication) -> None:
    """Tell the reminder engine who sends each kind."""
    engine = application.services.reminders
    for kind, sender in (
        (RULES, send_rules),
        (REVEAL, send_reveal),
        (VOTING, send_voting),
        (SHORTLIST, send_shortlist),
    ):
        engine.register(kind, sender)

"""The session list, a participant's view, the facilitator's panel and the phase moves.

A phase moves only from the phase the button was drawn in (compare-and-set
in storage), with what the move starts (the reveal notice, loose cards made
themes, the default shortlist) in the same transaction.
"""

from __future__ import annotations

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, take_confirmation
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, Role, allowed
from bot.stale import explain_stale
from bot.update_parts import chat_of
from conversations.brainstorm import card_views, notices, rules, vote_views
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.rules import Ranked
from conversations.brainstorm.sessions import (
    joined_session,
    managed_session,
    manages,
    plan_for_participants,
    read_tap,
    send_panel,
    show,
    show_panel_here,
)
from conversations.brainstorm.views import confirm_move, refused, session_list
from storage import brainstorm, brainstorm_votes
from storage.brainstorm import Session


async def list_sessions(update: Update, context: RembugContext) -> None:
    """The sessions the sender takes part in or leads (the "Brainstorming" menu entry, /brainstorm)."""
    if not await require(update, context, Action.JOIN_BRAINSTORM):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        if Role.FACILITATOR in context.standing.roles:
            found = await brainstorm.sessions_of(conn, cluster_id)
        else:
            found = await brainstorm.sessions_of_participant(conn, cluster_id, context.user.id)
    managed = {s.id for s in found if manages(context, s)}
    await answer(update, *session_list(context.lang, found, managed, allowed(context.standing, Action.RUN_BRAINSTORM)))


async def ranked_longlist(
    conn: aiosqlite.Connection, session: Session
) -> tuple[list[Ranked], dict[int, str], set[int]]:
    """The live themes ranked by dots (phones plus room), with their titles."""
    themes = await brainstorm_votes.themes_of(conn, session.id)
    totals = rules.tally(
        await brainstorm_votes.phone_dots(conn, session.id), await brainstorm_votes.room_dots(conn, session.id)
    )
    return (
        rules.rank_themes(totals, [t.id for t in themes]),
        {t.id: t.title for t in themes},
        {t.id for t in themes if t.shortlisted},
    )


async def open_session(update: Update, context: RembugContext) -> None:
    """A participant's view of a session (``bs1:o:<session>``)."""
    tap = await read_tap(update, context, Step.OPEN)
    session = await joined_session(update, context, tap.session_id) if tap else None
    if session is None:
        return
    await answer_tap(update.callback_query)
    extra: list[str] = []
    async with context.db.read() as conn:
        mine = await brainstorm.cards_of(conn, session.id, author_id=context.user.id)
        if session.phase == "results":
            extra.append(context.gettext("The voting has closed. The facilitator is choosing the shortlist."))
        elif session.phase == "closed":
            items = await brainstorm_votes.shortlist_of(conn, session.id)
            extra.append(
                vote_views.shortlist_message(context.lang, session, items, context.standing.cluster_name or "")
            )
    await show(update, *card_views.participant_view(context.lang, session, mine, extra))


async def panel(update: Update, context: RembugContext) -> None:
    """The facilitator's panel (``bs1:p:<session>``)."""
    tap = await read_tap(update, context, Step.PANEL)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if session is None:
        return
    await answer_tap(update.callback_query)
    await send_panel(update, context, session)


async def _before_moving(tx: aiosqlite.Connection, session: Session, target: str, context: RembugContext) -> str | None:
    """What a move starts, inside its transaction; a reason to refuse, or None."""
    now = context.clock.now()
    if target == "revealed":
        await plan_for_participants(tx, session, notices.REVEAL, "reveal", now)
    elif target == "voting":
        for card in await brainstorm.cards_of(tx, session.id):
            if card.theme_id is None:  # a loose card becomes a theme of its own
                theme = await brainstorm_votes.create_theme(
                    tx, session.id, rules.title_from_card(card.text or card.summary, card.number), now
                )
                await brainstorm.set_card_theme(tx, card.id, theme.id)
        if not await brainstorm_votes.themes_of(tx, session.id):
            return "no_cards"
        await plan_for_participants(tx, session, notices.VOTING, "voting", now)
    elif target == "results":
        ranked, _titles, _marked = await ranked_longlist(tx, session)
        for theme_id in rules.default_shortlist(ranked):
            await brainstorm_votes.set_shortlisted(tx, theme_id, True)
    return None


class _Refused(Exception):
    """Roll the move back: ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def advance(update: Update, context: RembugContext) -> None:
    """Move the session one phase on (``bs1:adv:<session>:<target>``); a second tap moves nothing.

    Closing the collection (the reveal) and closing the voting affect everyone: they are asked once,
    with how many of the participants have sent cards or given dots, and move from that screen's "Yes".
    """
    tap = await read_tap(update, context, Step.ADVANCE)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if tap is None or tap.phase is None or session is None:
        return
    if not rules.needs_confirmation(tap.phase):
        await _move(update, context, session, tap.phase, None)
        return
    why = rules.move_refusal(session.phase, tap.phase)
    if why is not None:  # moved already (tapped twice, another phone): says where it stands now, and the way on
        await explain_stale(update, context)
        return
    async with context.db.read() as conn:
        people = [p.user_id for p in await brainstorm.participants(conn, session.id)]
        if tap.phase == "revealed":
            done_ids: list[int | None] = [c.author_id for c in await brainstorm.cards_of(conn, session.id)]
        else:
            done_ids = list(await brainstorm_votes.voters(conn, session.id))
    done, total = rules.turnout(people, done_ids)
    await open_confirmation(context, _confirmation(session.id, tap.phase))
    await answer_tap(update.callback_query)
    text, keyboard = confirm_move(context.lang, session.id, tap.phase, done, total)
    await chat_of(update).send_message(text, reply_markup=keyboard)


async def confirm_advance(update: Update, context: RembugContext) -> None:
    """ "Yes, close it" on a move's confirm screen (``bs1:advy:<session>:<target>``)."""
    tap = await read_tap(update, context, Step.CONFIRM_ADVANCE)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if tap is None or tap.phase is None or session is None or not rules.needs_confirmation(tap.phase):
        if tap is not None and session is not None:  # a "Yes" for a move that is never asked: forged
            await explain_stale(update, context)
        return
    action = _confirmation(session.id, tap.phase)
    if rules.move_refusal(session.phase, tap.phase) == "moved" and await confirmed_by(context, update, action):
        await answer_tap(update.callback_query, context.gettext("Done."))  # this tap moved it; its reply was lost
        await show_panel_here(update, context, session.id)
        return
    await _move(update, context, session, tap.phase, action)


def _confirmation(session_id: int, target: str) -> str:
    """The confirm screen's name for moving ``session_id`` to ``target``."""
    return f"brainstorm:{session_id}:{target}"


async def _move(
    update: Update, context: RembugContext, session: Session, target: str, confirmation: str | None
) -> None:
    """Move the session to ``target`` (taking ``confirmation`` in the same transaction, when one is asked)."""
    why = rules.move_refusal(session.phase, target)
    if why is not None:  # moved already (tapped twice, another phone): says where it stands now, and the way on
        await explain_stale(update, context)
        return
    try:
        async with context.db.transaction() as tx:
            if confirmation is not None and not await take_confirmation(tx, context, confirmation, update):
                raise _Refused("unconfirmed")
            if not await brainstorm.move_phase(tx, session.id, session.phase, target):
                raise _Refused("moved")
            reason = await _before_moving(tx, session, target, context)
            if reason:
                raise _Refused(reason)
    except _Refused as refusal:
        texts = {
            "no_cards": context.gettext("There are no cards to vote on."),
            "unconfirmed": confirmation_needed(context.lang),
        }
        text = texts.get(refusal.reason) or refused(context.lang, "moved")
        await answer_tap(update.callback_query, text, show_alert=refusal.reason in texts)
        return
    context.services.reminders.wake()
    await answer_tap(update.callback_query, context.gettext("Done."))
    await show_panel_here(update, context, session.id)
    if target == "results":
        await _send_longlist(update, context, session.id)


async def _send_longlist(
    update: Update, context: RembugContext, session_id: int, edit: bool = False, page: int = 0
) -> None:
    async with context.db.read() as conn:
        session = await brainstorm.get_session(conn, session_id)
        if session is None:  # sessions are never deleted; the caller has just read this one
            raise LookupError(f"brainstorm session {session_id} is gone")
        ranked, titles, marked = await ranked_longlist(conn, session)
    text, keyboard = vote_views.longlist(
        context.lang, session, ranked, titles, marked, session.phase == "results", page
    )
    if edit:
        await show(update, text, keyboard)
    else:
        await chat_of(update).send_message(text, reply_markup=keyboard)


async def longlist(update: Update, context: RembugContext) -> None:
    """ "⭐ Mark the shortlist" (``bs1:sl:<session>``), and its pages (``bs1:sl:<session>:<page>``)."""
    tap = await read_tap(update, context, Step.LONGLIST)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return
    if not rules.totals_visible(session.phase):
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await _send_longlist(update, context, session.id, edit=True, page=tap.page)


async def toggle_shortlist(update: Update, context: RembugContext) -> None:
    """Put a theme on the shortlist or take it off (``bs1:st:<theme>:<page>``), staying on the page."""
    tap = await read_tap(update, context, Step.TOGGLE)
    if tap is None or tap.theme_id is None:
        return
    async with context.db.read() as conn:
        theme = await brainstorm_votes.get_theme(conn, tap.theme_id)
    session = await managed_session(update, context, theme.session_id if theme else None)
    if theme is None or session is None:
        return
    if session.phase != "results" or not theme.live:
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return
    async with context.db.transaction() as tx:
        await brainstorm_votes.set_shortlisted(tx, theme.id, not theme.shortlisted)
    await answer_tap(update.callback_query)
    await _send_longlist(update, context, session.id, edit=True, page=tap.page)


async def send_shortlist(update: Update, context: RembugContext) -> None:
    """Store the shortlist, close the session and send the shortlist to every participant (once)."""
    tap = await read_tap(update, context, Step.SEND_SHORTLIST)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if session is None:
        return
    async with context.db.transaction() as tx:
        ranked, titles, marked = await ranked_longlist(tx, session)
        chosen = [(r.theme_id, titles[r.theme_id], r.dots, r.rank) for r in ranked if r.theme_id in marked]
        moved = bool(chosen) and await brainstorm.move_phase(tx, session.id, "results", "closed")
        if moved:
            await brainstorm_votes.save_shortlist(tx, session.id, chosen)
            await plan_for_participants(tx, session, notices.SHORTLIST, "shortlist", context.clock.now())
    refusal = rules.shortlist_refusal(session.phase, bool(chosen), moved)
    if refusal == "empty":
        await answer_tap(update.callback_query, vote_views.empty_shortlist(context.lang), show_alert=True)
        return
    if refusal is not None:  # sent already (closed), or too early: before the results there is no shortlist
        await answer_tap(update.callback_query, refused(context.lang, refusal))
        return
    context.services.reminders.wake()
    await answer_tap(update.callback_query, context.gettext("Shortlist sent."))
    await _send_longlist(update, context, session.id, edit=True)
    async with context.db.read() as conn:
        closed = await brainstorm.get_session(conn, session.id)
    await send_panel(
        update, context, closed or session, intro=context.gettext("⭐ The shortlist is going out to every participant.")
    )

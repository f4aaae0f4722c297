"""Dot voting: a participant places and takes back dots; the facilitator enters dots from the room.

Every dot is a row filling one of the voter's slots (1..budget), and every ➕
or ➖ carries how many dots its voter had spent when the button was drawn: a
second tap of the same button, from the same phone or another, finds the
count changed and is answered as already counted (compare-and-set). Totals
stay hidden until the voting closes; the panel shows who voted, not how.
"""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.replies import answer_tap
from bot.stale import explain_stale
from conversations.brainstorm import rules
from conversations.brainstorm import vote_views as views
from conversations.brainstorm.button_rules import BrainstormTap, Step
from conversations.brainstorm.rules import VoteProblem
from conversations.brainstorm.sessions import joined_session, managed_session, read_tap, refresh_panel, show
from conversations.brainstorm.views import refused
from storage import brainstorm, brainstorm_votes
from storage.brainstorm import Session


async def _voting_session(update: Update, context: RembugContext, *steps: Step) -> tuple[Session, BrainstormTap] | None:
    """The session named by the button (one of ``steps``) and the button, when the sender takes part and
    voting is open."""
    tap = await read_tap(update, context, *steps)
    session = await joined_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return None
    async with context.db.read() as conn:
        joined = await brainstorm.is_participant(conn, session.id, context.user.id)
    problem = rules.ballot_problem(joined, session.phase)
    if problem is VoteProblem.CLOSED and await explain_stale(update, context, only_known=True):
        return None  # voting closed, or the session finished: said, with the way on
    if problem is not None:
        await answer_tap(update.callback_query, views.vote_answer(context.lang, problem, 0), show_alert=True)
        return None
    return session, tap


async def show_ballot(update: Update, context: RembugContext, session: Session, page: int) -> None:
    """The voter's ballot as it stands."""
    async with context.db.read() as conn:
        themes = await brainstorm_votes.themes_of(conn, session.id)
        mine = await brainstorm_votes.dots_of_voter(conn, session.id, context.user.id)
    await show(update, *views.ballot(context.lang, session, themes, mine, page))


async def ballot(update: Update, context: RembugContext) -> None:
    """ "🗳 Vote with your dots" (``bs1:vt:<session>:<page>``)."""
    found = await _voting_session(update, context, Step.BALLOT)
    if found is None:
        return
    session, tap = found
    await answer_tap(update.callback_query)
    await show_ballot(update, context, session, tap.page)


async def place(update: Update, context: RembugContext) -> None:
    """➕ (``bs1:v:<session>:<theme>:<spent when drawn>:<page>``): one more dot on the theme."""
    found = await _voting_session(update, context, Step.PLACE)
    if found is None:
        return
    session, tap = found
    theme_id, seen = tap.theme_id, tap.seen
    if theme_id is None:  # a ➕ always names its theme
        return
    async with context.db.transaction() as tx:
        theme = await brainstorm_votes.get_theme(tx, theme_id)
        live = theme is not None and theme.session_id == session.id and theme.live
        spent = sum((await brainstorm_votes.dots_of_voter(tx, session.id, context.user.id)).values())
        problem = rules.check_place(session.dots, spent, seen, live)
        if problem is None:
            slot = rules.free_slot(await brainstorm_votes.used_slots(tx, session.id, context.user.id), session.dots)
            placed = slot is not None and await brainstorm_votes.place_dot(
                tx, session.id, theme_id, context.user.id, slot, context.clock.now()
            )
            problem, spent = (None, spent + 1) if placed else (VoteProblem.STALE, spent)
    await _answered(update, context, session, tap, problem, spent)


async def take_back(update: Update, context: RembugContext) -> None:
    """➖ (``bs1:vu:<session>:<theme>:<spent when drawn>:<page>``): one dot back from the theme."""
    found = await _voting_session(update, context, Step.TAKE_BACK)
    if found is None:
        return
    session, tap = found
    theme_id, seen = tap.theme_id, tap.seen
    if theme_id is None:  # a ➖ always names its theme
        return
    async with context.db.transaction() as tx:
        mine = await brainstorm_votes.dots_of_voter(tx, session.id, context.user.id)
        spent = sum(mine.values())
        problem = rules.check_take_back(spent, seen, mine.get(theme_id, 0))
        if problem is None and await brainstorm_votes.take_back_dot(tx, session.id, theme_id, context.user.id):
            spent -= 1
    await _answered(update, context, session, tap, problem, spent)


async def _answered(
    update: Update,
    context: RembugContext,
    session: Session,
    tap: BrainstormTap,
    problem: VoteProblem | None,
    spent: int,
) -> None:
    left = rules.remaining(session.dots, spent)
    alert = problem in (VoteProblem.NO_DOTS_LEFT, VoteProblem.THEME_GONE, VoteProblem.NONE_HERE)
    await answer_tap(update.callback_query, views.vote_answer(context.lang, problem, left), show_alert=alert)
    if problem in (None, VoteProblem.STALE):
        await show_ballot(update, context, session, tap.page)
    if problem is None:
        await refresh_panel(context.app, session.id)


# -- dots from the room --------------------------------------------------------------------------------


async def _room_session(update: Update, context: RembugContext, session_id: int | None) -> Session | None:
    session = await managed_session(update, context, session_id)
    if session is not None and not rules.may_vote(session.phase):
        if await explain_stale(update, context, only_known=True):
            return None
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return None
    return session


async def _show_room(update: Update, context: RembugContext, session: Session, page: int) -> None:
    async with context.db.read() as conn:
        themes = await brainstorm_votes.themes_of(conn, session.id)
        counts = await brainstorm_votes.room_dots(conn, session.id)
    await show(update, *views.room_dots(context.lang, session, themes, counts, page))


async def room(update: Update, context: RembugContext) -> None:
    """ "🟡 Dots from the room" (``bs1:rd:<session>:<page>``)."""
    tap = await read_tap(update, context, Step.ROOM)
    session = await _room_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return
    await answer_tap(update.callback_query)
    await _show_room(update, context, session, tap.page)


async def change_room_dots(update: Update, context: RembugContext) -> None:
    """➕/➖ of the room (``bs1:ra|rr:<theme>:<count when drawn>:<page>``): a double tap counts once."""
    tap = await read_tap(update, context, Step.ROOM_ADD, Step.ROOM_REMOVE)
    if tap is None or tap.theme_id is None:
        return
    async with context.db.read() as conn:
        theme = await brainstorm_votes.get_theme(conn, tap.theme_id)
    session = await _room_session(update, context, theme.session_id if theme else None)
    if theme is None or session is None:
        return
    if not theme.live:
        await answer_tap(
            update.callback_query, views.vote_answer(context.lang, VoteProblem.THEME_GONE, 0), show_alert=True
        )
        return
    wanted = rules.room_dots_after(tap.seen, adding=tap.step == Step.ROOM_ADD)
    async with context.db.transaction() as tx:
        changed = await brainstorm_votes.set_room_dots(
            tx, session.id, theme.id, tap.seen, wanted, context.user.id, context.clock.now()
        )
    await answer_tap(update.callback_query, context.gettext("Saved.") if changed else refused(context.lang, "moved"))
    await _show_room(update, context, session, tap.page)

"""Candidates: members nominate (the nominee accepts or declines) or the facilitator recommends.

Candidacies are public. The call for nominations and the question to each
nominee are due messages of the reminder engine.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.permissions import require
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.update_parts import query_of
from conversations.organisation import election_views as eviews
from conversations.organisation import nomination_views as nviews
from conversations.organisation import rules, views
from storage import clusters, elections, memberships
from storage import reminders as due_messages
from storage.elections import Election
from storage.reminders import Due

CALL, NOMINEE = "organisation.nominations_open", "organisation.nominee"


async def plan_nominations_open(tx: aiosqlite.Connection, election: Election, now: datetime) -> None:
    """Tell every member that nominations are open (inside the creating transaction)."""
    everyone, _total = await memberships.directory(tx, election.cluster_id)
    for member in everyone:
        await due_messages.schedule(
            tx,
            f"election:{election.id}:nominations:{member.user_id}",
            CALL,
            now,
            {"election": election.id, "user": member.user_id},
            now,
        )


async def send_call(due: Due, application: RembugApplication) -> str:
    """One member's call for nominations."""
    async with application.services.db.read() as conn:
        election = await elections.load_election(conn, due.payload["election"])
        cluster = await clusters.load_cluster(conn, election.cluster_id)
        positions = [p.position for p in await elections.positions_of(conn, election.id)]
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    if election.status != "nominating":
        raise Skip("nominations closed")
    text, keyboard = nviews.nominations_open(lang, cluster.name, election.id, positions)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "call sent"


async def send_to_nominee(due: Due, application: RembugApplication) -> str:
    """Ask a nominee to accept or decline, or tell a recommended candidate."""
    payload = due.payload
    async with application.services.db.read() as conn:
        election = await elections.load_election(conn, payload["election"])
        cluster = await clusters.load_cluster(conn, election.cluster_id)
        proposer = await memberships.get_membership(conn, election.cluster_id, payload["by"])
        lang = await language_of(conn, payload["user"], application.services.settings.language)
    if payload.get("recommended"):
        await application.bot.send_message(payload["user"], nviews.recommended(lang, cluster.name, payload["position"]))
        return "told"
    if election.status != "nominating":
        raise Skip("nominations closed")
    name = proposer.full_name if proposer else "-"
    text, keyboard = nviews.ask_nominee(lang, cluster.name, election.id, payload["position"], name)
    await application.bot.send_message(payload["user"], text, reply_markup=keyboard)
    return "asked"


async def _member_election(update: Update, context: RembugContext, election_id: int | None) -> Election | None:
    if not await require(update, context, Action.VIEW_ORGANISATION):
        return None
    async with context.db.read() as conn:
        election = await elections.get_election(conn, election_id) if election_id else None
    if election is None or election.cluster_id != context.standing.cluster_id:
        await answer_tap(update.callback_query, views.stale(context.lang))
        return None
    return election


async def nominate(update: Update, context: RembugContext) -> None:
    """🙋 Nominate a candidate: for which position (``og1:nn:<id>``)."""
    tap = rules.parse_tap(query_of(update).data)
    election = await _member_election(update, context, tap.target if tap else None)
    if election is None:
        return
    if election.status != "nominating":
        await answer_tap(
            update.callback_query,
            views.nomination_problem(context.lang, rules.NominationProblem.CLOSED),
            show_alert=True,
        )
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        positions = await elections.positions_of(conn, election.id)
    await answer(update, *eviews.pick_position(context.lang, election.id, positions, "np"))


async def show_members(
    update: Update, context: RembugContext, election: Election, position: str, page: int, list_key: str, choose_key: str
) -> None:
    """A page of members to propose for ``position``."""
    if position not in rules.POSITIONS:
        await answer_tap(update.callback_query, views.stale(context.lang))
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        everyone, _total = await memberships.directory(conn, election.cluster_id)
    await answer(update, *eviews.pick_member(context.lang, election.id, position, everyone, page, list_key, choose_key))


async def nominee_page(update: Update, context: RembugContext) -> None:
    """A page of members to nominate (``og1:np:<id>:<position>:<page>``)."""
    tap = rules.parse_tap(query_of(update).data)
    election = await _member_election(update, context, tap.target if tap else None)
    if tap is not None and tap.word is not None and election is not None:
        await show_members(update, context, election, tap.word, tap.number or 0, "np", "nm")


async def propose_candidate(
    update: Update, context: RembugContext, election: Election, position: str, user_id: int, source: str
) -> rules.NominationProblem | None:
    """Check and store a nomination or recommendation, and plan the message to the candidate."""
    now = context.clock.now()
    async with context.db.transaction() as tx:
        nominee = await memberships.get_membership(tx, election.cluster_id, user_id)
        known = {p.position for p in await elections.positions_of(tx, election.id)}
        standing = {
            c.position: c.status for c in await elections.candidates_of(tx, election.id) if c.user_id == user_id
        }
        problem = rules.check_nomination(election.status, bool(nominee and nominee.active), standing, position)
        if position not in known:
            problem = rules.NominationProblem.CLOSED
        if problem is None:
            await elections.propose(tx, election.id, position, user_id, context.user.id, source, now)
            await due_messages.schedule(
                tx,
                f"election:{election.id}:nominee:{position}:{user_id}",
                NOMINEE,
                now,
                {
                    "election": election.id,
                    "position": position,
                    "user": user_id,
                    "by": context.user.id,
                    "recommended": source == "recommended",
                },
                now,
            )
    if problem:
        await answer_tap(update.callback_query, views.nomination_problem(context.lang, problem), show_alert=True)
        return problem
    await answer_tap(update.callback_query)
    context.services.reminders.wake()
    return None


async def choose_nominee(update: Update, context: RembugContext) -> None:
    """Nominate this member (``og1:nm:<id>:<position>:<user>``)."""
    tap = rules.parse_tap(query_of(update).data)
    election = await _member_election(update, context, tap.target if tap else None)
    if tap is None or tap.word is None or tap.number is None or election is None:
        return
    if await propose_candidate(update, context, election, tap.word, tap.number, "nominated") is None:
        async with context.db.read() as conn:
            nominee = await memberships.get_membership(conn, election.cluster_id, tap.number)
        name = nominee.full_name if nominee else "-"
        await answer(update, nviews.nominated(context.lang, name, tap.word))


async def answer_nomination(update: Update, context: RembugContext) -> None:
    """The nominee accepts (``og1:ny:<id>:<position>``) or declines (``og1:nd:...``)."""
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    position, accepts = (tap.word or "", tap.key == "ny") if tap else ("", False)
    async with context.db.transaction() as tx:
        election = await elections.get_election(tx, tap.target) if tap else None
        member = await memberships.get_membership(tx, election.cluster_id, context.user.id) if election else None
        refusal = None
        if election is None:
            refusal = views.stale(context.lang)
        elif member is None or not member.active:
            refusal = nviews.not_a_member(context.lang)
        elif election.status != "nominating":
            refusal = views.nomination_problem(context.lang, rules.NominationProblem.CLOSED)
        elif not await elections.answer_nomination(
            tx, election.id, position, context.user.id, accepts, context.clock.now()
        ):
            refusal = nviews.no_pending(context.lang)
    if refusal:
        await answer_tap(query, refusal, show_alert=True)
        return
    await answer_tap(query)
    await answer(update, nviews.nominee_answered(context.lang, position, accepts))

"""Setting up and running an election: positions, voters, candidacy, tie rule; recommending; opening the voting.

The set-up is a draft (flow ``organisation_election``) filled by buttons and
committed at each tap. Opening the voting creates one ballot per contested
position, decides unopposed and vacant positions at once, and plans a ballot
notice per eligible voter through the reminder engine.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.flows import (
    confirmation_needed,
    confirmed_by,
    finish_draft,
    open_confirmation,
    read_draft,
    replayed_effect,
    save_answers,
    take_confirmation,
)
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.update_parts import query_of
from conversations.organisation import ballots, election_rules, nominations, results, rules, views
from conversations.organisation import election_views as eviews
from conversations.organisation.access import election_id_of, managed_election
from conversations.organisation.election_rules import SetupStep, SetupTap
from conversations.organisation.electorate import eligible_voters
from storage import ballots as ballot_store
from storage import clusters, drafts, elections, meetings
from storage import reminders as due_messages
from storage.elections import Election

FLOW = "organisation_election"


async def list_elections(update: Update, context: RembugContext) -> None:
    """The cluster's elections (``og1:el``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        found = await elections.elections_of(conn, cluster.id)
    await answer(update, *eviews.election_list(context.lang, found, cluster.timezone))


async def begin(update: Update, context: RembugContext) -> None:
    """➕ New election (``og1:en``): start a fresh draft."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    draft = await save_answers(context, FLOW, cluster_id=cluster_id, positions=[])
    await answer_tap(update.callback_query)
    await _next_step(update, context, draft)


async def _next_step(update: Update, context: RembugContext, draft: dict) -> None:
    lang = context.lang
    step = election_rules.setup_step(draft)
    if step is SetupStep.POSITIONS:
        await answer(update, *eviews.ask_positions(lang, draft.get("positions", [])))
    elif step is SetupStep.VOTERS:
        await answer(update, *eviews.ask_voters(lang))
    elif step is SetupStep.MEETING:
        async with context.db.read() as conn:
            cluster = await clusters.load_cluster(conn, draft["cluster_id"])
            found = [m for m in await meetings.list_meetings(conn, cluster.id) if not m.cancelled]
        await answer(update, *eviews.ask_meeting(lang, list(reversed(found))[:8], cluster.timezone))
    elif step is SetupStep.CANDIDACY:
        await answer(update, *eviews.ask_candidacy(lang))
    elif step is SetupStep.TIE_RULE:
        await answer(update, *eviews.ask_tie_rule(lang))
    else:
        async with context.db.read() as conn:
            meeting = await meetings.get_meeting(conn, draft["meeting_id"]) if draft.get("meeting_id") else None
        await answer(
            update,
            *eviews.review(lang, draft["positions"], draft["voters"], meeting, draft["candidacy"], draft["tie_rule"]),
        )


async def _draft_or_refuse(update: Update, context: RembugContext) -> tuple[dict, SetupTap] | None:
    """The sender's set-up draft and the tap, when the tap is a button of the step the draft is at."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return None
    tap = election_rules.parse_setup_tap(query_of(update).data)
    draft = await read_draft(context, FLOW)
    mine = draft.get("cluster_id") == context.standing.cluster_id
    if tap is None or not mine or not election_rules.fits_step(election_rules.setup_step(draft), tap):
        await answer_tap(update.callback_query, views.stale(context.lang))
        return None
    return draft, tap


async def set_up(update: Update, context: RembugContext) -> None:
    """Every set-up button: ``ep:<position>``, ``epd``, ``ev:<voters>``, ``em:<meeting>``, ``ec:<how>``, ``et:<rule>``."""
    query = query_of(update)
    found = await _draft_or_refuse(update, context)
    if found is None:
        return
    draft, tap = found
    if tap.key == "epd" and not draft["positions"]:
        await answer_tap(query, context.gettext("Choose at least one position."), show_alert=True)
        return
    if tap.meeting_id is not None:
        async with context.db.read() as conn:
            meeting = await meetings.get_meeting(conn, tap.meeting_id)
        if meeting is None or meeting.cluster_id != draft["cluster_id"] or meeting.cancelled:
            await answer_tap(query, views.stale(context.lang))
            return
    await _next_step(update, context, await save_answers(context, FLOW, **election_rules.setup_change(draft, tap)))
    await answer_tap(query)


async def create(update: Update, context: RembugContext) -> None:
    """✅ Create the election (``og1:ego``); with nominations, every member is told."""
    done = await replayed_effect(context, update, FLOW)
    if done is not None and await require(update, context, Action.RUN_ORGANISATION):  # created before a crash
        await answer_tap(update.callback_query)
        await show_election(update, context, done["election"])
        return
    found = await _draft_or_refuse(update, context)
    if found is None:
        return
    draft, _tap = found
    now = context.clock.now()
    async with context.db.transaction() as tx:
        election, new = await elections.create_election(
            tx,
            cluster_id=draft["cluster_id"],
            positions=draft["positions"],
            voters=draft["voters"],
            meeting_id=draft.get("meeting_id") if draft["voters"] == "meeting" else None,
            candidacy=draft["candidacy"],
            tie_rule=draft["tie_rule"],
            created_by=context.user.id,
            now=now,
            source_update_id=update.update_id,
        )
        if new and election.candidacy == "nomination":
            await nominations.plan_nominations_open(tx, election, now)
        await finish_draft(tx, update, context.user.id, FLOW, election=election.id)
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await show_election(update, context, election.id)


async def show_election(update: Update, context: RembugContext, election_id: int, intro: str | None = None) -> None:
    """The facilitator's view of one election."""
    async with context.db.read() as conn:
        election = await elections.load_election(conn, election_id)
        meeting = await meetings.get_meeting(conn, election.meeting_id) if election.meeting_id else None
        positions = await elections.positions_of(conn, election.id)
        candidates = await elections.candidates_of(conn, election.id)
        contests = [c for c in await elections.contests_of(conn, election.id) if c.open]
        open_contests = [(c, await ballot_store.turnout(conn, c.id)) for c in contests]
        pending = len(await ballot_store.pending_paper(conn, [c.id for c in contests]))
    await answer(
        update,
        *eviews.election_view(context.lang, election, meeting, positions, candidates, open_contests, pending, intro),
    )


async def open_election(update: Update, context: RembugContext) -> None:
    """An election from the list (``og1:e:<id>``)."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    await answer_tap(update.callback_query)
    await show_election(update, context, election.id)


async def _ballots_of(conn, election) -> tuple[dict[str, list], list[str]]:
    positions = await elections.positions_of(conn, election.id)
    candidates = await elections.candidates_of(conn, election.id)
    on_ballot: dict[str, list] = {}
    for position in positions:
        mine = [c for c in candidates if c.position == position.position]
        chosen = set(rules.ballot_of((c.user_id, c.status, c.is_member) for c in mine))
        on_ballot[position.position] = [c for c in mine if c.user_id in chosen]
    left_out = [
        c.full_name
        for c in candidates
        if c.status != "declined" and c.user_id not in {x.user_id for x in on_ballot[c.position]}
    ]
    return on_ballot, left_out


async def ask_open(update: Update, context: RembugContext) -> None:
    """Confirm opening the voting (``og1:eo:<id>``)."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    if election.status != "nominating":
        await answer_tap(update.callback_query, views.stale(context.lang))
        return
    await open_confirmation(context, f"election:{election.id}:open")
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        on_ballot, left_out = await _ballots_of(conn, election)
    names = {position: [c.full_name for c in found] for position, found in on_ballot.items()}
    await answer(update, *eviews.ask_open(context.lang, election.id, names, left_out))


async def open_voting(update: Update, context: RembugContext) -> None:
    """Open the ballots (``og1:eoy:<id>``): unopposed and vacant positions are decided, voters get their ballot."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    if election.status != "nominating":
        if await confirmed_by(
            context, update, f"election:{election.id}:open"
        ):  # this tap opened it; its reply was lost
            await answer_tap(update.callback_query)
            await show_election(update, context, election.id)
            return
        await answer_tap(update.callback_query, views.stale(context.lang))
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"election:{election.id}:open", update)
        if confirmed:
            await _open_ballots(tx, election, now)
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await show_election(update, context, election.id)


async def _open_ballots(tx, election: Election, now: datetime) -> None:
    """One ballot per contested position; unopposed and vacant positions decided; voters' notices planned."""
    on_ballot, _left_out = await _ballots_of(tx, election)
    opened = []
    for position, found in on_ballot.items():
        if len(found) > 1:
            opened.append(await elections.open_contest(tx, election.id, position, 1, [c.user_id for c in found], now))
        else:
            winner = found[0].user_id if found else None
            await elections.decide_position(tx, election.id, position, winner, "unopposed" if found else "vacant")
    await elections.set_status(tx, election.id, "voting", now)
    await cancel_pending(tx, election.id, now)
    if opened:
        voters = await eligible_voters(tx, election, now)
        await ballots.plan_ballot_notices(tx, election, opened, voters, now)
    else:
        await results.install_board(tx, election, now)


async def recommend_position(update: Update, context: RembugContext) -> None:
    """🤝 Recommend a candidate: for which position (``og1:ra:<id>``)."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        positions = await elections.positions_of(conn, election.id)
    await answer(update, *eviews.pick_position(context.lang, election.id, positions, "rp"))


async def recommend_member(update: Update, context: RembugContext) -> None:
    """A page of members to recommend (``og1:rp:<id>:<position>:<page>``)."""
    tap = rules.parse_tap(query_of(update).data)
    election = await managed_election(update, context, tap.target if tap else None)
    if tap is None or tap.word is None or election is None:
        return
    await nominations.show_members(update, context, election, tap.word, tap.number or 0, "rp", "rc")


async def recommend(update: Update, context: RembugContext) -> None:
    """Add the facilitator's recommended candidate (``og1:rc:<id>:<position>:<user>``)."""
    tap = rules.parse_tap(query_of(update).data)
    election = await managed_election(update, context, tap.target if tap else None)
    if tap is None or tap.word is None or tap.number is None or election is None:
        return
    problem = await nominations.propose_candidate(update, context, election, tap.word, tap.number, "recommended")
    if problem is None:
        await show_election(update, context, election.id, intro=context.gettext("✅ Candidate added."))


async def cancel_pending(tx: aiosqlite.Connection, election_id: int, now: datetime) -> None:
    """Stop nomination notices still waiting once the voting opens."""
    await due_messages.cancel(tx, f"election:{election_id}:nominations:", now)

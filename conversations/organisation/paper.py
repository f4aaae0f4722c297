"""Paper ballots from the room: the facilitator enters the count per candidate; a second person confirms it.

The count is added to the ballot once, when the named witness (another
facilitator or a board member) confirms; closing waits for every pending count.
"""

from __future__ import annotations

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import read_draft, save_answers
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.organisation import paper_views as pviews
from conversations.organisation import rules, views
from conversations.organisation.access import election_id_of, managed_election
from conversations.organisation.elections import show_election
from storage import ballots as ballot_store
from storage import drafts, elections, memberships
from storage import reminders as due_messages
from storage.ballots import PaperTally
from storage.elections import Contest
from storage.memberships import Membership
from storage.reminders import Due

FLOW = "organisation_paper"
WITNESS = "organisation.paper_witness"


async def choose_contest(update: Update, context: RembugContext) -> None:
    """📝 Enter paper ballots: for which ballot (``og1:pp:<election>``)."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    async with context.db.read() as conn:
        contests = [c for c in await elections.contests_of(conn, election.id) if c.open]
    if not contests:
        await answer_tap(
            update.callback_query, views.vote_problem(context.lang, rules.VoteProblem.CLOSED), show_alert=True
        )
        return
    await answer_tap(update.callback_query)
    await answer(update, *pviews.pick_contest(context.lang, election.id, contests))


async def _names(conn: aiosqlite.Connection, contest: Contest) -> list[tuple[int, str]]:
    on_ballot = await ballot_store.ballot_candidates(conn, contest.id)
    names = {c.user_id: c.full_name for c in await elections.candidates_of(conn, contest.election_id, contest.position)}
    return [(uid, names.get(uid, "?")) for uid in on_ballot]


async def begin(update: Update, context: RembugContext) -> str | int:
    """Start counting paper ballots for one ballot (``og1:pq:<contest>``): ask the first candidate's number."""
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        contest = await elections.get_contest(conn, tap.target) if tap else None
    election = await managed_election(update, context, contest.election_id if contest else None)
    if election is None or contest is None:
        return ConversationHandler.END
    if not contest.open:
        await answer_tap(
            update.callback_query, views.vote_problem(context.lang, rules.VoteProblem.CLOSED), show_alert=True
        )
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        names = await _names(tx, contest)
    await save_answers(context, FLOW, contest=contest.id, counts=[])
    await answer_tap(update.callback_query)
    await answer(update, *pviews.ask_count(context.lang, contest, names[0][1], 1, len(names)))
    return "paper_count"


async def receive_count(update: Update, context: RembugContext) -> str | int:
    """A typed number of paper ballots for the current candidate; after the last, ask who confirms."""
    number = rules.parse_paper_count(message_of(update).text)
    if number is None:
        await message_of(update).reply_text(pviews.not_a_count(context.lang))
        return "paper_count"
    draft = await read_draft(context, FLOW)
    async with context.db.read() as conn:
        contest = await elections.get_contest(conn, draft.get("contest", 0))
        names = await _names(conn, contest) if contest else []
    if contest is None or len(draft["counts"]) >= len(names):
        await message_of(update).reply_text(views.stale(context.lang))
        return ConversationHandler.END
    counts = [*draft["counts"], number]
    await save_answers(context, FLOW, counts=counts)
    if len(counts) < len(names):
        text, keyboard = pviews.ask_count(context.lang, contest, names[len(counts)][1], len(counts) + 1, len(names))
    else:
        text, keyboard = pviews.ask_witness(
            context.lang, list(zip([n for _, n in names], counts, strict=True)), await _witnesses(context, contest)
        )
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "paper_count" if len(counts) < len(names) else "paper_witness"


async def _witnesses(context: RembugContext, contest: Contest) -> list[Membership]:
    async with context.db.read() as conn:
        election = await elections.load_election(conn, contest.election_id)
        everyone, _total = await memberships.directory(conn, election.cluster_id)
        board = {h.user_id for h in await memberships.board(conn, election.cluster_id)}
    return [
        m
        for m in everyone
        if m.user_id != context.user.id
        and rules.may_witness(m.is_facilitator, m.is_secretary, m.is_group_leader, m.user_id in board)
    ]


async def choose_witness(update: Update, context: RembugContext) -> int | str:
    """Store the count, waiting for the chosen witness (``og1:pw:<user>``), and ask them."""
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    draft = await read_draft(context, FLOW)
    async with context.db.read() as conn:
        contest = await elections.get_contest(conn, draft.get("contest", 0))
        names = await _names(conn, contest) if contest else []
    witnesses = {m.user_id: m for m in await _witnesses(context, contest)} if contest else {}
    if tap is None or contest is None or tap.target not in witnesses or len(draft.get("counts", [])) != len(names):
        await explain_stale(update, context)
        return "paper_witness"
    if await managed_election(update, context, contest.election_id) is None:
        return ConversationHandler.END
    witness = witnesses[tap.target]
    now = context.clock.now()
    async with context.db.transaction() as tx:
        tally, new = await ballot_store.enter_paper(
            tx,
            contest.id,
            {uid: n for (uid, _), n in zip(names, draft["counts"], strict=True)},
            context.user.id,
            witness.user_id,
            now,
            update.update_id,
        )
        if new:
            await due_messages.schedule(
                tx, f"paper:{tally.id}:witness", WITNESS, now, {"tally": tally.id, "user": witness.user_id}, now
            )
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await answer_tap(query)
    context.services.reminders.wake()
    await show_election(update, context, contest.election_id, pviews.entered_intro(context.lang, witness.full_name))
    return ConversationHandler.END


async def _tally_context(
    conn: aiosqlite.Connection, tally_id: int
) -> tuple[PaperTally, Contest, list[tuple[str, int]], str] | None:
    """The tally with its contest, the counts by name and who entered them; None for no such tally."""
    tally = await ballot_store.get_paper(conn, tally_id)
    if tally is None:
        return None
    contest = await elections.load_contest(conn, tally.contest_id)
    names = dict(await _names(conn, contest))
    election = await elections.load_election(conn, contest.election_id)
    enterer = await memberships.get_membership(conn, election.cluster_id, tally.entered_by)
    counts = [(names.get(uid, "?"), votes) for uid, votes in tally.counts.items()]
    return tally, contest, counts, enterer.full_name if enterer else "-"


async def send_witness_request(due: Due, application: RembugApplication) -> str:
    """Ask the witness to confirm the count."""
    async with application.services.db.read() as conn:
        found = await _tally_context(conn, due.payload["tally"])
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    if found is None:
        raise Skip("no such paper tally")
    tally, contest, counts, enterer = found
    text, keyboard = pviews.witness_request(lang, contest, enterer, counts, tally.id)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "witness asked"


async def decide(update: Update, context: RembugContext) -> None:
    """The witness confirms (``og1:pc:<tally>``: counted once) or rejects (``og1:px:<tally>``)."""
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    confirm = tap is not None and tap.key == "pc"
    async with context.db.transaction() as tx:
        found = await _tally_context(tx, tap.target) if tap else None
        problem: rules.WitnessProblem | None = None
        counts: list[tuple[str, int]] = []
        if found is not None:
            tally, contest, counts, _enterer = found
            problem = rules.check_witness(
                tally.entered_by, tally.witness_id, context.user.id, tally.status, contest.open
            )
            if problem is None:
                await ballot_store.decide_paper(tx, tally.id, confirm, context.clock.now())
    if found is None or problem:
        await answer_tap(
            query,
            pviews.witness_problem(context.lang, problem) if problem else views.stale(context.lang),
            show_alert=bool(problem),
        )
        return
    await answer_tap(query)
    await answer(update, pviews.decided(context.lang, confirm, counts))

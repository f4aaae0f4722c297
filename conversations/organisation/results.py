"""Closing the voting and counting: results with turnout, ties settled by the cluster's rule, the board installed.

A tie opens a run-off between the tied (its ballots go to the voters again)
or is settled by lots the bot draws, with the seed and outcome recorded. When
every position is decided, the winners take their positions in the membership
model, and the elected secretary becomes the cluster's secretary.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.context import RembugContext, refresh_standing
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, take_confirmation
from bot.replies import answer, answer_tap
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.access_log.rules import Access
from conversations.organisation import ballots, rules
from conversations.organisation import result_views as rviews
from conversations.organisation.access import election_id_of, managed_election
from conversations.organisation.electorate import eligible_voters
from conversations.organisation.result_views import ContestResult
from storage import access_log, elections, memberships
from storage import ballots as ballot_store
from storage.elections import Contest, Election


async def install_board(tx, election: Election, now: datetime) -> None:
    """Close the election and give each winner their position; the elected secretary becomes the cluster's secretary."""
    for position in await elections.positions_of(tx, election.id):
        if position.winner_id is None:
            continue
        await memberships.assign_position(
            tx, election.cluster_id, position.position, position.winner_id, now, election.id
        )
        await access_log.record(
            tx, None, election.cluster_id, Access.BOARD_ELECTED, position.position, now, subject_id=position.winner_id
        )
        if position.position == "secretary":
            await memberships.make_sole_secretary(tx, election.cluster_id, position.winner_id)
    await elections.set_status(tx, election.id, "closed", now)


async def close_and_count(tx, election: Election, now: datetime) -> list[Contest]:
    """Close every open ballot and settle each position; return the run-offs opened (empty: the election is over)."""
    voters = await eligible_voters(tx, election, election.opened_at or now)
    runoffs = []
    for contest in [c for c in await elections.contests_of(tx, election.id) if c.open]:
        await elections.close_contest(tx, contest.id, len(voters), now)
        await ballot_store.forget_confirmations(tx, contest.id)
        totals = {
            candidate: phone + paper
            for candidate, (phone, paper) in (await ballot_store.totals(tx, contest.id)).items()
        }
        outcome = rules.count(totals)
        decision = rules.settle(outcome, election.tie_rule, contest.round)
        if decision == "elected":
            await elections.decide_position(
                tx, election.id, contest.position, outcome.winner, "votes" if contest.round == 1 else "runoff"
            )
        elif decision == "vacant":
            await elections.decide_position(tx, election.id, contest.position, None, "vacant")
        elif decision == "runoff":
            runoffs.append(
                await elections.open_contest(
                    tx, election.id, contest.position, contest.round + 1, list(outcome.tied), now
                )
            )
        else:
            seed = rules.new_seed()
            draw = await ballot_store.record_draw(
                tx, contest.id, seed, list(outcome.tied), rules.draw_lots(outcome.tied, seed), now
            )
            await elections.decide_position(tx, election.id, contest.position, draw.winner_id, "lots")
    if runoffs:
        await ballots.plan_ballot_notices(tx, election, runoffs, voters, now)
    else:
        await install_board(tx, election, now)
    return runoffs


async def contest_results(conn, election: Election) -> list[ContestResult]:
    """The figures of every closed ballot, in order."""
    names = {c.user_id: c.full_name for c in await elections.candidates_of(conn, election.id)}
    found = []
    for contest in await elections.contests_of(conn, election.id):
        if contest.open:
            continue
        totals = await ballot_store.totals(conn, contest.id)
        counts = sorted(
            ((names.get(uid, "?"), phone, paper) for uid, (phone, paper) in totals.items()),
            key=lambda row: (-(row[1] + row[2]), row[0]),
        )
        outcome = rules.count({uid: phone + paper for uid, (phone, paper) in totals.items()})
        turnout = rules.Turnout(
            await ballot_store.turnout(conn, contest.id),
            await ballot_store.paper_ballots(conn, contest.id),
            contest.eligible or 0,
        )
        draw = await ballot_store.get_draw(conn, contest.id)
        found.append(
            ContestResult(
                contest,
                counts,
                turnout,
                tuple(names.get(uid, "?") for uid in outcome.tied),
                draw,
                names.get(draw.winner_id) if draw else None,
            )
        )
    return found


async def show_results(
    update: Update, context: RembugContext, election_id: int, intro: str | None = None, page: int = 0
) -> None:
    """The results of an election: every round with counts and turnout, and who was elected."""
    async with context.db.read() as conn:
        election = await elections.load_election(conn, election_id)
        found = await contest_results(conn, election)
        positions = await elections.positions_of(conn, election.id)
        names = {c.user_id: c.full_name for c in await elections.candidates_of(conn, election.id)}
    winners = [(p.position, names.get(p.winner_id) if p.winner_id else None, p.decided_by) for p in positions]
    await answer(update, *rviews.results(context.lang, election, found, winners, intro, page))


async def results_button(update: Update, context: RembugContext) -> None:
    """📊 Results (``og1:es:<id>``), and their pages (``og1:es:<id>:<page>``)."""
    tap = rules.parse_results_page(query_of(update).data)
    election = await managed_election(update, context, tap.election_id if tap else None)
    if tap is None or election is None:
        return
    await answer_tap(update.callback_query)
    await show_results(update, context, election.id, page=tap.page)


async def ask_close(update: Update, context: RembugContext) -> None:
    """Confirm closing the voting (``og1:ex:<id>``); paper ballots awaiting confirmation must be settled first."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    if election.status != "voting":
        await explain_stale(update, context)
        return
    async with context.db.read() as conn:
        eligible = await eligible_voters(conn, election, election.opened_at or context.clock.now())
        contests = [c.id for c in await elections.contests_of(conn, election.id) if c.open]
        voted, may_vote = rules.voted_by_phone(eligible, [await ballot_store.voters_of(conn, c) for c in contests])
    await open_confirmation(context, f"election:{election.id}:close")
    await answer_tap(update.callback_query)
    await answer(update, *rviews.ask_close(context.lang, election.id, voted, may_vote))


async def close(update: Update, context: RembugContext) -> None:
    """Close and count (``og1:exy:<id>``)."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        election = await elections.load_election(tx, election.id)
        contests = [c.id for c in await elections.contests_of(tx, election.id) if c.open]
        waiting = await ballot_store.pending_paper(tx, contests)
        confirmed, runoffs = False, []
        if election.status == "voting" and not waiting:
            confirmed = await take_confirmation(tx, context, f"election:{election.id}:close", update)
            if confirmed:
                runoffs = await close_and_count(tx, election, now)
    if election.status != "voting":
        if await confirmed_by(
            context, update, f"election:{election.id}:close"
        ):  # this tap counted it; its reply was lost
            await answer_tap(update.callback_query)
            await show_results(update, context, election.id)
            return
        await explain_stale(update, context)
        return
    if waiting:
        await answer_tap(update.callback_query, rviews.paper_waiting(context.lang, len(waiting)), show_alert=True)
        return
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    context.services.reminders.wake()
    await refresh_standing(context)
    await show_results(update, context, election.id, rviews.closed_intro(context.lang, runoffs))

"""Voting: the ballot notice, choosing, confirming, casting. One vote per voter per position; THE BALLOT IS SECRET.

Nothing about a choice is written anywhere but the candidate's count: the
choice travels in the buttons only (no draft, no user data). A vote is cast
only from its confirm screen: tapping a candidate stores a seal that only that
screen's Cast button matches (``election_rules.seal_of``), never the choice. The vote is
counted with the voter's turnout row in one transaction (``storage/ballots.py``),
and every update whose button or message names a choice is sealed in the
inbox. After casting, the message says the vote counted, never for whom.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.organisation import ballot_views as bviews
from conversations.organisation import election_rules, rules, views
from conversations.organisation.electorate import voter_of
from storage import ballots as ballot_store
from storage import clusters, elections, inbox, meetings
from storage import reminders as due_messages
from storage.elections import Candidate, Contest, Election
from storage.reminders import Due

NOTICE = "organisation.ballot"


async def plan_ballot_notices(
    tx: aiosqlite.Connection, election: Election, contests: list[Contest], voters: list[int], now: datetime
) -> None:
    """One ballot notice per eligible voter for these contests (opening, or a run-off)."""
    wave = max(c.id for c in contests)
    for user_id in voters:
        await due_messages.schedule(
            tx,
            f"election:{election.id}:ballot:{wave}:{user_id}",
            NOTICE,
            now,
            {"election": election.id, "contests": [c.id for c in contests], "user": user_id},
            now,
        )


async def send_notice(due: Due, application: RembugApplication) -> str:
    """Tell one voter the ballots are open."""
    async with application.services.db.read() as conn:
        election = await elections.load_election(conn, due.payload["election"])
        cluster = await clusters.load_cluster(conn, election.cluster_id)
        contests = [
            c for c in [await elections.get_contest(conn, cid) for cid in due.payload["contests"]] if c and c.open
        ]
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    if not contests:
        raise Skip("voting closed")
    text, keyboard = bviews.notice(lang, cluster.name, election.id, contests)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "ballot notice sent"


async def _refuse(
    update: Update, context: RembugContext, problem: rules.VoteProblem | None, election: Election | None
) -> None:
    if problem == rules.VoteProblem.CLOSED and await explain_stale(update, context, only_known=True):
        return  # the voting closed, or the election is over: said, with the way on
    topic = None
    if problem == rules.VoteProblem.NOT_PRESENT and election and election.meeting_id:
        async with context.db.read() as conn:
            meeting = await meetings.get_meeting(conn, election.meeting_id)
        topic = meeting.topic if meeting else None
    text = views.vote_problem(context.lang, problem, topic) if problem else views.stale(context.lang)
    await answer_tap(update.callback_query, text[:200], show_alert=problem is not None)


async def show_ballots(update: Update, context: RembugContext) -> None:
    """The open ballots of an election for this voter (``og1:b:<election>``)."""
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        election = await elections.get_election(conn, tap.target) if tap else None
        if election is None:
            await _refuse(update, context, None, None)
            return
        voter = await voter_of(conn, election, context.user.id)
        contests = [c for c in await elections.contests_of(conn, election.id) if c.open]
        marked = [(c, await ballot_store.has_voted(conn, c.id, context.user.id)) for c in contests]
    problem = (
        rules.eligibility(election.voters, voter, election.opened_at)
        if election.opened_at
        else rules.VoteProblem.CLOSED
    )
    if problem is None and not contests:
        problem = rules.VoteProblem.CLOSED
    if problem:
        await _refuse(update, context, problem, election)
        return
    await answer_tap(update.callback_query)
    await answer(update, *bviews.ballots(context.lang, marked))


Check = tuple[Contest | None, Election | None, dict[int, Candidate], rules.VoteProblem | None]
_NO_CONTEST: Check = (None, None, {}, None)


async def _check(conn: aiosqlite.Connection, context: RembugContext, contest_id: int, choice: int | None) -> Check:
    """The contest, its election, the candidates' names and the problem with voting now (None: fine)."""
    contest = await elections.get_contest(conn, contest_id)
    if contest is None:
        return _NO_CONTEST
    election = await elections.load_election(conn, contest.election_id)
    on_ballot = set(await ballot_store.ballot_candidates(conn, contest.id))
    candidates = {
        c.user_id: c
        for c in await elections.candidates_of(conn, election.id, contest.position)
        if c.user_id in on_ballot
    }
    voter = await voter_of(conn, election, context.user.id)
    problem = rules.check_vote(
        contest.open,
        rules.eligibility(election.voters, voter, election.opened_at or contest.opened_at),
        await ballot_store.has_voted(conn, contest.id, context.user.id),
        {uid: c.is_member for uid, c in candidates.items()},
        choice,
    )
    return contest, election, candidates, problem


async def ballot(update: Update, context: RembugContext) -> None:
    """One ballot (``og1:bc:<contest>``); also "Choose again" from a confirmation, so its update is sealed."""
    tap = election_rules.parse_ballot_tap(query_of(update).data, "bc")
    async with context.db.transaction() as tx:
        await inbox.forget_payload(tx, update.update_id)
        contest, election, candidates, problem = await _check(tx, context, tap.contest, None) if tap else _NO_CONTEST
        if contest is not None and problem is None:
            await ballot_store.forget_confirmation(tx, contest.id, context.user.id)
    if contest is None or problem:
        await _refuse(update, context, problem, election)
        return
    await answer_tap(update.callback_query)
    names = [(uid, c.full_name) for uid, c in candidates.items() if c.is_member]
    await answer(update, *bviews.ballot(context.lang, contest, names))


async def pick(update: Update, context: RembugContext) -> None:
    """A candidate tapped (``og1:bp:<contest>:<candidate>``): store the confirm screen's seal (never the choice), ask to confirm."""
    tap = election_rules.parse_ballot_tap(query_of(update).data, "bp")
    choice = tap.candidate if tap else None
    key = election_rules.new_confirmation_key()
    async with context.db.transaction() as tx:
        await inbox.forget_payload(tx, update.update_id)
        contest, election, candidates, problem = (
            await _check(tx, context, tap.contest, choice) if tap and choice else _NO_CONTEST
        )
        if contest is not None and choice is not None and problem is None:
            await ballot_store.confirm_choice(tx, contest.id, context.user.id, election_rules.seal_of(key, choice))
    if contest is None or choice is None or problem:
        await _refuse(update, context, problem, election)
        return
    await answer_tap(update.callback_query)
    await answer(update, *bviews.confirm(context.lang, contest, candidates[choice].full_name, choice, key))


async def cast(update: Update, context: RembugContext) -> None:
    """✅ Cast my vote (``og1:bx:<contest>:<candidate>:<key>``): only the choice of the voter's latest confirm
    screen; counted once, with the turnout, in one transaction."""
    tap = election_rules.parse_ballot_tap(query_of(update).data, "bx")
    choice = tap.candidate if tap else None
    async with context.db.transaction() as tx:
        await inbox.forget_payload(tx, update.update_id)
        contest, election, _candidates, problem = (
            await _check(tx, context, tap.contest, choice) if tap and choice else _NO_CONTEST
        )
        if tap is not None and choice is not None and contest is not None and problem is None:
            seal = await ballot_store.confirmed_seal(tx, contest.id, context.user.id)
            if not election_rules.was_confirmed(seal, tap):
                problem = rules.VoteProblem.NOT_CONFIRMED
            elif not await ballot_store.cast_vote(tx, contest.id, context.user.id, choice):
                problem = rules.VoteProblem.ALREADY_VOTED
    if contest is None or problem:
        await _refuse(update, context, problem, election)
        return
    await answer_tap(update.callback_query, bviews.cast_toast(context.lang))
    await answer(update, *bviews.cast(context.lang, contest))

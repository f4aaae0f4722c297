"""Entering a stack of paper questionnaires: whose sheet is next, a running count, one tap to the next.

Each sheet is a response of the form engine marked as from paper (``form_responses.source``); the
questions are asked as in an interview, and sending one shows its number in the round
(``handlers.subject_hooks``) with "Next respondent". A typed name goes through the survey's
conversation (``handlers.ask_interviewee``), as an interview's does.
"""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.paging import page_of
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from conversations.survey import rules, views
from conversations.survey.handlers import PAGE, _start, _tap_round
from storage import forms, memberships, surveys


async def _paper_round(
    update: Update, context: RembugContext, step: str
) -> tuple[rules.RoundTap, surveys.Round] | None:
    """The tapped paper button's round, when the sender runs surveys and the round takes answers."""
    if not await require(update, context, Action.RUN_SURVEY):
        return None
    tapped = await _tap_round(update, context)
    if tapped is None:
        return None
    if tapped[0].step != step or tapped[0].number is None:
        await explain_stale(update, context)
        return None
    if not rules.accepting(tapped[1].status, tapped[1].closes_at, context.clock.now()):
        await answer_tap(update.callback_query, views.closed_now(context.lang), show_alert=True)
        return None
    return tapped


async def paper_list(update: Update, context: RembugContext) -> None:
    """Whose paper questionnaire is next, with how many were entered (``sv1:pp:<round>:<page>``)."""
    tapped = await _paper_round(update, context, "pp")
    if tapped is None:
        return
    tap, survey_round = tapped
    async with context.db.read() as conn:
        members, _total = await memberships.directory(conn, survey_round.cluster_id)
        done = {r.respondent_id for r in await forms.responses_about(conn, survey_round.subject, submitted_only=True)}
        entered = await forms.paper_count(conn, survey_round.subject)
        unsent = await forms.unsent_paper(conn, survey_round.subject, context.user.id)
    names = {m.user_id: m.full_name for m in members}
    started = [
        (r.id, names.get(r.respondent_id, "") if r.respondent_id is not None else r.respondent_name or "")
        for r in unsent
    ]
    await answer_tap(update.callback_query)
    people = [(m.user_id, m.full_name, m.user_id in done) for m in members]
    shown, page, pages = page_of(people, tap.number or 0, PAGE)
    await answer(update, *views.paper_list(context.lang, survey_round.id, shown, page, pages, entered, started))


async def paper_member(update: Update, context: RembugContext) -> None:
    """Enter a member's paper questionnaire (``sv1:pv:<round>:<user>``)."""
    tapped = await _paper_round(update, context, "pv")
    if tapped is None:
        return
    tap, survey_round = tapped
    async with context.db.read() as conn:
        member = await memberships.get_membership(conn, survey_round.cluster_id, tap.number or 0)
        earlier = await forms.find_response(conn, survey_round.subject, member.user_id) if member else None
    if member is None or not member.active:
        await explain_stale(update, context)
        return
    if earlier is not None and not earlier.from_paper:  # they answer on their phone (or were interviewed): kept
        await answer_tap(
            update.callback_query, views.answered_elsewhere(context.lang, member.full_name), show_alert=True
        )
        return
    await answer_tap(update.callback_query)
    await _start(update, context, survey_round, member.user_id, member.full_name, "paper")


async def paper_continue(update: Update, context: RembugContext) -> None:
    """Go on with a paper questionnaire one started and has not sent (``sv1:pc:<round>:<response>``)."""
    tapped = await _paper_round(update, context, "pc")
    if tapped is None:
        return
    tap, survey_round = tapped
    async with context.db.read() as conn:
        response = await forms.get_response(conn, tap.number or 0)
    if (
        response is None
        or response.subject != survey_round.subject
        or response.entered_by != context.user.id
        or response.submitted
    ):
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await context.services.forms.show(update, context, response.id)

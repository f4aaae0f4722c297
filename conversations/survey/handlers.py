"""Telegram handlers of the survey: rounds, invitations, answering, interviews, closing, results."""

from __future__ import annotations

import aiosqlite
from babel.dates import format_date
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, replayed_effect, show_menu
from bot.form_library import BUILT_IN, Offered, find_offered
from bot.paging import page_of
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.survey import invitations, questionnaire_views, rules, views
from conversations.survey.questionnaires import cluster_questionnaires
from storage import clusters, drafts, forms, memberships, surveys
from storage.forms import Response

FLOW = "survey_round"
PAGE = 8


async def _tap_round(update: Update, context: RembugContext) -> tuple[rules.RoundTap, surveys.Round] | None:
    """The tapped round button and its round (of the sender's cluster); a stale one is answered, None back.

    Called outside any read or transaction: the answer to a stale one reads what happened to the round."""
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        survey_round = await _round_of(conn, context, tap.round_id) if isinstance(tap, rules.RoundTap) else None
    if not isinstance(tap, rules.RoundTap) or survey_round is None:
        await explain_stale(update, context)
        return None
    return tap, survey_round


async def _round_of(conn: aiosqlite.Connection, context: RembugContext, round_id: int) -> surveys.Round | None:
    """The round, only when it belongs to the sender's current cluster."""
    survey_round = await surveys.get_round(conn, round_id)
    if survey_round is None or survey_round.cluster_id != context.standing.cluster_id:
        return None
    return survey_round


async def _round_list(context: RembugContext):
    now = context.clock.now()
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
        rows = []
        for survey_round in await surveys.rounds_of(conn, cluster.id):
            mine = await forms.find_response(conn, survey_round.subject, context.user.id)
            rows.append((survey_round, mine.status if mine else None))
    accepting = {r.id for r, _s in rows if rules.accepting(r.status, r.closes_at, now)}
    return views.round_list(
        context.lang, rows, cluster.timezone, allowed(context.standing, Action.RUN_SURVEY), accepting
    )


async def list_rounds(update: Update, context: RembugContext) -> None:
    """The cluster's rounds (the "Questionnaire" menu entry)."""
    if not await require(update, context, Action.ANSWER_SURVEY):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    await answer(update, *await _round_list(context))


async def list_rounds_below(update: Update, context: RembugContext) -> None:
    """The round list as a new message, under a result worth keeping."""
    text, keyboard = await _round_list(context)
    await chat_of(update).send_message(text, reply_markup=keyboard)


# -- opening a round (a short persistent conversation) -------------------------------------------


async def begin_round(update: Update, context: RembugContext) -> str | int:
    """A new round: which questionnaire, when the cluster has more than one; else its title."""
    if not await require(update, context, Action.RUN_SURVEY):
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    choices = await cluster_questionnaires(context)
    await answer_tap(update.callback_query)
    # The further built-ins (the firm profile: number -1) add no step to every new round by themselves:
    # they open from 📄 Questionnaires or their flow's screen; with the cluster's own, all are offered.
    if len([choice for choice in choices if choice.number >= BUILT_IN]) > 1:
        await answer(update, *questionnaire_views.choose_questionnaire(context.lang, choices))
        return "questionnaire"
    return await _questionnaire_chosen(update, context, choices[0])


async def begin_round_with(update: Update, context: RembugContext) -> str | int | None:
    """A new round with the questionnaire a button names (``sv1:newq:<n>``: the list, or just imported)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return ConversationHandler.END
    choice = await _tapped_questionnaire(update, context)
    if choice is None:
        return None
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await answer_tap(update.callback_query)
    return await _questionnaire_chosen(update, context, choice)


async def choose_questionnaire(update: Update, context: RembugContext) -> str | int | None:
    """The questionnaire of the new round (``sv1:use:<n>``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return ConversationHandler.END
    choice = await _tapped_questionnaire(update, context)
    if choice is None:
        return "questionnaire"
    await answer_tap(update.callback_query)
    return await _questionnaire_chosen(update, context, choice)


async def _tapped_questionnaire(update: Update, context: RembugContext) -> Offered | None:
    tap = rules.parse_tap(query_of(update).data)
    number = tap.number if isinstance(tap, rules.QuestionnaireTap) else None
    choice = find_offered(await cluster_questionnaires(context), number) if number is not None else None
    if choice is None:
        await explain_stale(update, context)
    return choice


async def _questionnaire_chosen(update: Update, context: RembugContext, choice: Offered) -> str:
    form = choice.form
    suggestion = _suggested_title(context, None if form.id == rules.FORM_ID else form.title(context.lang))
    async with context.db.transaction() as tx:
        await drafts.save_draft_answers(
            tx,
            context.user.id,
            FLOW,
            {"form_id": form.id, "form_version": form.version, "suggested": suggestion},
            context.clock.now(),
        )
    await answer(update, *views.ask_title(context.lang, suggestion))
    return "title"


def _suggested_title(context: RembugContext, form_title: str | None = None) -> str:
    """ "Cluster condition December 2026" for ANNEX-1; "<its title> December 2026" else."""
    month = format_date(context.clock.now().date(), "MMMM y", locale=context.lang)
    if form_title is None:
        return context.gettext("Cluster condition {month}").format(month=month)
    return f"{form_title[: rules.TITLE_LIMIT - len(month) - 1]} {month}"


async def _title_chosen(update: Update, context: RembugContext, title: str) -> str:
    async with context.db.transaction() as tx:
        await drafts.save_draft_answer(tx, context.user.id, FLOW, "title", title, context.clock.now())
    await answer(update, *views.ask_closing(context.lang, title))
    return "closing"


async def type_title(update: Update, context: RembugContext) -> str:
    """A typed title."""
    title = rules.clean_title(message_of(update).text)
    if title is None:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=rules.TITLE_LIMIT
            )
        )
        return "title"
    return await _title_chosen(update, context, title)


async def use_suggested_title(update: Update, context: RembugContext) -> str:
    """The suggested title."""
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
    return await _title_chosen(update, context, draft.get("suggested") or _suggested_title(context))


async def choose_closing(update: Update, context: RembugContext) -> int | str:
    """Open the round and invite every member (through the reminder engine)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return ConversationHandler.END
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    valid, closes_at = rules.closing_time(tap.choice if isinstance(tap, rules.ClosingTap) else "", context.clock.now())
    if not valid:
        await explain_stale(update, context)
        return "closing"
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # opened before a crash: say so again
        await answer_tap(query)
        await answer(update, views.round_opened(context.lang, done["title"], done["invited"]))
        await list_rounds_below(update, context)
        return ConversationHandler.END
    now = context.clock.now()
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
    dialog = context.services.forms
    form = dialog.forms.get((draft.get("form_id", ""), draft.get("form_version", 0))) or dialog.latest(rules.FORM_ID)
    if "title" not in draft:
        await explain_stale(update, context)
        await show_menu(update, context)
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        survey_round, new = await surveys.open_round(
            tx,
            cluster_id=context.standing.current_cluster_id,
            form_id=form.id,
            form_version=form.version,
            title=draft["title"],
            closes_at=closes_at,
            opened_by=context.user.id,
            now=now,
            source_update_id=update.update_id,
        )
        members, _total = await memberships.directory(tx, survey_round.cluster_id)
        if new:
            await invitations.queue_invitations(tx, survey_round, form, now, context.settings.language)
        await finish_draft(tx, update, context.user.id, FLOW, title=survey_round.title, invited=len(members) - 1)
    context.services.outbox.wake()
    await answer_tap(query)
    await answer(update, views.round_opened(context.lang, survey_round.title, len(members) - 1))
    await list_rounds_below(update, context)
    return ConversationHandler.END


# -- answering and interviews --------------------------------------------------------------------


async def _start(
    update: Update,
    context: RembugContext,
    survey_round: surveys.Round,
    respondent_id: int | None,
    name: str | None,
    source: str | None = None,
) -> None:
    """Start (or continue) the response of ``respondent_id`` or ``name``; ``source``: 'paper' for a paper sheet."""
    dialog = context.services.forms
    now = context.clock.now()
    async with context.db.transaction() as tx:
        response = await forms.start_response(
            tx,
            form_id=survey_round.form_id,
            form_version=survey_round.form_version,
            subject=survey_round.subject,
            respondent_id=respondent_id,
            respondent_name=name,
            entered_by=context.user.id,
            now=now,
            source=source,
        )
        await dialog.plan_nudge(tx, response, now)
    context.services.reminders.wake()
    await dialog.show(update, context, response.id, edit=update.callback_query is not None)


async def answer_round(update: Update, context: RembugContext) -> None:
    """Start, continue or review one's own answers (``sv1:ans:<round>``)."""
    if not await require(update, context, Action.ANSWER_SURVEY):
        return
    tapped = await _tap_round(update, context)
    if tapped is None:
        return
    _tap, survey_round = tapped
    if not rules.accepting(survey_round.status, survey_round.closes_at, context.clock.now()):
        await explain_stale(update, context)  # closed, or replaced by a newer round: said, with the way on
        return
    await answer_tap(update.callback_query)
    await _start(update, context, survey_round, context.user.id, None)


async def interview_list(update: Update, context: RembugContext) -> None:
    """Whom to interview (``sv1:int:<round>:<page>``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    tapped = await _tap_round(update, context)
    if tapped is None or tapped[0].step != "int":
        return
    tap, survey_round = tapped
    async with context.db.read() as conn:
        members, _total = await memberships.directory(conn, survey_round.cluster_id)
        done = {r.respondent_id for r in await forms.responses_about(conn, survey_round.subject, submitted_only=True)}
    await answer_tap(update.callback_query)
    people = [(m.user_id, m.full_name, m.user_id in done) for m in members]
    shown, page, pages = page_of(people, tap.number or 0, PAGE)
    await answer(update, *views.interview_list(context.lang, survey_round.id, shown, page, pages))


async def interview_member(update: Update, context: RembugContext) -> None:
    """Enter a member's answers on their behalf (``sv1:iv:<round>:<user>``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    tapped = await _tap_round(update, context)
    if tapped is None:
        return
    tap, survey_round = tapped
    async with context.db.read() as conn:
        member = (
            await memberships.get_membership(conn, survey_round.cluster_id, tap.number)
            if tap.step == "iv" and tap.number is not None
            else None
        )
    if member is None or not member.active:
        await explain_stale(update, context)
        return
    if not rules.accepting(survey_round.status, survey_round.closes_at, context.clock.now()):
        await answer_tap(update.callback_query, views.closed_now(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await _start(update, context, survey_round, member.user_id, member.full_name)


async def ask_interviewee(update: Update, context: RembugContext) -> str | int | None:
    """Someone not in the list: ask their name (``sv1:ivn:<round>``; ``sv1:ppn:<round>`` for a paper sheet)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return ConversationHandler.END
    now = context.clock.now()
    tapped = await _tap_round(update, context)
    if tapped is None or tapped[0].step not in ("ivn", "ppn"):
        return None  # refused: whatever step was waiting still waits
    tap, survey_round = tapped
    paper = tap.step == "ppn"
    accepting = rules.accepting(survey_round.status, survey_round.closes_at, now)
    async with context.db.transaction() as tx:
        if accepting:
            await drafts.clear_draft(tx, context.user.id, FLOW)
            await drafts.save_draft_answer(tx, context.user.id, FLOW, "round", survey_round.id, now)
            if paper:
                await drafts.save_draft_answer(tx, context.user.id, FLOW, "source", "paper", now)
    if not accepting:
        await answer_tap(update.callback_query, views.closed_now(context.lang), show_alert=True)
        return None
    await answer_tap(update.callback_query)
    await answer(update, *views.ask_interviewee_name(context.lang, paper))
    return "interviewee"


async def receive_interviewee(update: Update, context: RembugContext) -> int | str:
    """The interviewee's name: start their answers."""
    name = rules.clean_title(message_of(update).text)
    if name is None:
        await message_of(update).reply_text(context.gettext("The answer is empty. Please type it."))
        return "interviewee"
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        await drafts.clear_draft(tx, context.user.id, FLOW)
        survey_round = await _round_of(tx, context, draft.get("round", 0))
    if survey_round is None:
        await show_menu(update, context)
        return ConversationHandler.END
    await _start(update, context, survey_round, None, name, draft.get("source"))
    return ConversationHandler.END


# -- the form engine's hooks ---------------------------------------------------------------------


def subject_hooks(application: RembugApplication):
    """How survey responses plug into the form dialog."""
    from bot.form_dialog import Subject, SubjectState

    async def state(conn: aiosqlite.Connection, response: Response, lang: str) -> SubjectState:
        survey_round = await surveys.get_round(conn, int(response.subject.split(":")[1]))
        if survey_round is None:
            return SubjectState(open=False, heading="")
        accepting = rules.accepting(survey_round.status, survey_round.closes_at, application.services.clock.now())
        name = await _interviewee(conn, survey_round, response)
        return SubjectState(accepting, views.heading(lang, survey_round.title, name, response.from_paper))

    async def on_submitted(update: Update, context: RembugContext, response: Response) -> None:
        async with context.db.read() as conn:
            survey_round = await surveys.get_round(conn, int(response.subject.split(":")[1]))
            name = await _interviewee(conn, survey_round, response) if survey_round else None
            entered = await forms.paper_count(conn, response.subject) if response.from_paper else 0
        if response.from_paper and survey_round is not None:  # the next sheet of the stack is one tap away
            await answer(update, *views.paper_entered(context.lang, survey_round.id, entered, name))
            return
        await show_menu(update, context, views.thanks(context.lang, name))

    return Subject("survey_round", state, on_submitted)


async def _interviewee(conn: aiosqlite.Connection, survey_round: surveys.Round, response: Response) -> str | None:
    if not response.interviewed:
        return None
    if response.respondent_id is None:
        return response.respondent_name
    member = await memberships.get_membership(conn, survey_round.cluster_id, response.respondent_id)
    return member.full_name if member else response.respondent_name

"""Asking a form on Telegram: one question per message, Back, Later, review, submit, nudges.

The Telegram half of the forms engine (``bot/forms.py`` is the other). A flow
plugs in with a ``Subject``: which responses it owns (``survey_round:3``),
whether they may still change, the heading above each question, and what
happens after sending. Then it starts or resumes a response with
``await dialog.show(update, context, response_id)``; everything else (buttons,
typed answers, Back, Later, review, a nudge a day later) is handled here, the
same way for every questionnaire.

Every answer is committed before the next question is shown. An answering
tap leaves its question on screen with the choice marked ✅ (no buttons) and
sends the next question or the review as a new message, so the chat shows
what was chosen; Back, Edit and ticks edit the message in place. The question on
screen is stored (``form_responses.current``), so a button of an older
question, or the same button tapped on two phones, is answered as stale and
changes nothing; after a restart the person continues where they stood.

A text question may offer a flow's entries as buttons (``suggest: supporters`` in its
definition): the flow registers a ``SuggestionSource`` (``bot/form_suggestions.py``); a tap
stores the entry's text as the answer, typing still answers, and the source hears what was
typed (to add it to its list) in the transaction that stores it.

Typed text goes to the flow the person is in. A shown form holds the
person's typed text (``form_focus``) until they leave it: another command,
/menu, /cancel, or any button that is not the form's own releases it, and
the text then goes to whatever they opened. Coming back (the form's Continue
button, the flow's own entry such as /survey) shows the same question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import form_views as views
from bot.context import RembugContext
from bot.form_buttons import ON_SCREEN, PREFIX, FormAction, FormButton, Outcome, parse_form_button
from bot.form_suggestions import NOTHING, Offered, Suggestions, SuggestionSource
from bot.forms import AnswerProblem, Form, read_typed_answer, tallied_questions
from bot.i18n import translator
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from storage import forms as store
from storage import reminders as due_messages
from storage.database import Database
from storage.forms import Response
from storage.reminders import Due

NUDGE = "form.nudge"
LEAVING_GROUP = -2  # first: a command or another flow's button releases the form's hold on typed text
TYPED_ANSWER_GROUP = -1  # before the flows: typed text for an open typed question is an answer
TYPED = ("integer", "decimal", "text", "date")  # question types answered by typing
ANSWERING = (FormAction.CHOOSE, FormAction.DONE, FormAction.SKIP, FormAction.PICK)  # presses that answer the question


@dataclass(frozen=True)
class SubjectState:
    """Where a response's subject stands, read once per press: does it take answers, and the heading."""

    open: bool
    heading: str


@dataclass(frozen=True)
class Subject:
    """How a flow's responses behave: ``kind`` is the part of ``subject`` before the colon.

    ``state`` reads the subject (a survey round, a plan) once and says whether
    it takes answers and what heading goes above the question.
    """

    kind: str
    state: Callable[[aiosqlite.Connection, Response, str], Awaitable[SubjectState]]
    on_submitted: Callable[[Update, RembugContext, Response], Awaitable[None]]
    nudge_after: timedelta | None = timedelta(days=1)

    @classmethod
    def of(
        cls,
        kind: str,
        is_open: Callable[[aiosqlite.Connection, str], Awaitable[bool]],
        heading: Callable[[aiosqlite.Connection, Response, str], Awaitable[str]],
        on_submitted: Callable[[Update, RembugContext, Response], Awaitable[None]],
        nudge_after: timedelta | None = timedelta(days=1),
    ) -> Subject:
        """A subject whose opening check and heading are separate reads."""

        async def state(conn: aiosqlite.Connection, response: Response, lang: str) -> SubjectState:
            return SubjectState(await is_open(conn, response.subject), await heading(conn, response, lang))

        return cls(kind, state, on_submitted, nudge_after)


class FormDialog:
    """The forms a flow registered, and the handlers that ask them."""

    def __init__(self) -> None:
        self.forms: dict[tuple[str, int], Form] = {}
        self.subjects: dict[str, Subject] = {}
        self.suggestions = Suggestions()
        self.imported: set[tuple[str, int]] = set()  # brought in as XLSForm (bot/form_library.py), per cluster

    def add_forms(self, forms: dict[tuple[str, int], Form], *, imported: bool = False) -> None:
        """Make definitions available (loaded with ``bot.forms.load_forms``, or ``imported`` as XLSForm)."""
        self.forms.update(forms)
        if imported:
            self.imported.update(forms)

    def latest(self, form_id: str) -> Form:
        """The newest version of a form the flows ship (an import belongs to a cluster: a round names
        its version, and ``bot.form_library.offered`` says which a cluster may use)."""
        versions = [f for key, f in self.forms.items() if key[0] == form_id and key not in self.imported]
        return max(versions, key=lambda f: f.version)

    async def start(self, db: Database) -> None:
        """Keep a tally of every one-choice question's sent answers (``storage/forms.py`` track_choices):
        a round's results are then read from its small histogram, not from every response."""
        async with db.transaction() as tx:
            await store.track_choices(tx, tallied_questions(self.forms.values()))

    def add_suggestions(self, name: str, source: SuggestionSource) -> None:
        """Let text questions with ``suggest: <name>`` offer ``source``'s entries."""
        self.suggestions.add(name, source)

    async def _offered(self, conn: aiosqlite.Connection, response: Response, user_id: int) -> Offered:
        """What the response's current question offers (``bot/form_suggestions.py``)."""
        question = self._form(response).question(response.current) if response.current else None
        return await self.suggestions.offered(conn, question, response, user_id)

    def register_subject(self, subject: Subject) -> None:
        """Let a flow own responses whose subject starts with ``subject.kind``."""
        self.subjects[subject.kind] = subject

    async def takes_answers(self, conn: aiosqlite.Connection, response: Response) -> bool:
        """Whether the response's subject (a survey round, a plan) still takes answers; an unknown kind is kept as open."""
        subject = self.subjects.get(response.subject.split(":")[0])
        return subject is None or (await subject.state(conn, response, "en")).open

    def register(self, application: RembugApplication) -> None:
        """Add the button and typed-answer handlers, and the nudge kind of the reminder engine."""
        application.add_handler(CallbackQueryHandler(self._button, pattern=f"^{PREFIX}:"))
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, self._release), group=LEAVING_GROUP
        )
        application.add_handler(CallbackQueryHandler(self._release, pattern=f"^(?!{PREFIX}:)"), group=LEAVING_GROUP)
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, self._typed),
            group=TYPED_ANSWER_GROUP,
        )
        application.services.reminders.register(NUDGE, self._send_nudge)

    # -- showing ----------------------------------------------------------------------------------

    async def show(self, update: Update, context: RembugContext, response_id: int, *, edit: bool = True) -> None:
        """Show the response's current question (or the review) and take the person's typed text for it."""
        async with context.db.transaction() as tx:
            response = await store.get_response(tx, response_id)
            if response is None:
                return
            state = await self._subject(response).state(tx, response, context.lang)
            response = await self._hold(tx, context, response)
            offered = await self._offered(tx, response, context.user.id)
        text, keyboard = self._screen(context.lang, response, state.heading, offered)
        if edit:
            await answer(update, text, keyboard)
        else:
            await chat_of(update).send_message(text, reply_markup=keyboard)

    async def _hold(self, tx: aiosqlite.Connection, context: RembugContext, response: Response) -> Response:
        """Take the person's typed text for ``response`` and settle its question on screen; return it as stored."""
        await store.set_focus(tx, context.user.id, response.id)
        if response.current is None and not response.submitted:
            form = self._form(response)
            following = form.next_unanswered(form.applicable_answers(response.answers))
            if following is not None:
                await store.set_current(tx, response.id, following.name, context.clock.now())
                response = replace(response, current=following.name)
        return response

    def _screen(
        self,
        lang: str,
        response: Response,
        heading: str,
        offered: Offered = NOTHING,
    ) -> tuple[str, InlineKeyboardMarkup]:
        """The message for where ``response`` stands: its current question (with what its source
        suggests), or the review."""
        form = self._form(response)
        if response.current is None:
            return views.review_message(lang, form, response.id, response.answers, heading, response.submitted)
        question = form.question(response.current)
        return views.question_message(lang, form, question, response.id, response.answers, heading, offered)

    async def plan_nudge(self, tx: aiosqlite.Connection, response: Response, now) -> None:
        """Remind the respondent later if the response is still unsent (once per response)."""
        subject = self._subject(response)
        if subject.nudge_after is None or response.respondent_id is None or response.interviewed:
            return
        await due_messages.schedule(
            tx, f"form:{response.id}:nudge", NUDGE, now + subject.nudge_after, {"response": response.id}, now
        )

    # -- handlers ---------------------------------------------------------------------------------

    async def _button(self, update: Update, context: RembugContext) -> None:
        """One press: read the response and its subject once, store, and show the next screen, in one transaction."""
        query = query_of(update)
        press = parse_form_button(query.data)
        if press is None:
            await answer_tap(query, views.stale(context.lang))
            return
        heading = ""
        offered = NOTHING
        async with context.db.transaction() as tx:
            response = await store.get_response(tx, press.response_id)
            if response is None or context.user.id not in (response.entered_by, response.respondent_id):
                outcome = Outcome.STALE
            else:
                state = await self._subject(response).state(tx, response, context.lang)
                heading = state.heading
                if not state.open:
                    outcome = Outcome.CLOSED
                else:
                    outcome, response = await self._apply(tx, context, response, press)
                    if outcome is Outcome.SHOWN:
                        response = await self._hold(tx, context, response)
                        offered = await self._offered(tx, response, context.user.id)
                    elif outcome in (Outcome.PAUSED, Outcome.SUBMITTED):
                        await store.set_focus(tx, context.user.id, None)
        if outcome in (Outcome.STALE, Outcome.CLOSED) and await explain_stale(update, context, only_known=True):
            return  # the flow said what happened to its round or plan (closed, replaced, already sent)
        if response is None or outcome in (Outcome.STALE, Outcome.CLOSED, Outcome.INCOMPLETE):
            texts = {Outcome.CLOSED: views.closed, Outcome.INCOMPLETE: views.incomplete}
            await answer_tap(
                query, texts.get(outcome, views.stale)(context.lang), show_alert=outcome is not Outcome.STALE
            )
            return
        await answer_tap(query)
        if outcome is Outcome.PAUSED:
            await answer(update, views.paused(context.lang))
        elif outcome is Outcome.SUBMITTED:
            await self._subject(response).on_submitted(update, context, response)
        elif press.action in ANSWERING and press.question is not None:
            # the answered question stays on screen with the choice marked; the next step is a new message
            form = self._form(response)
            question = form.questions[press.question]
            await answer(update, views.answered_message(context.lang, form, question, response.answers, heading))
            text, keyboard = self._screen(context.lang, response, heading, offered)
            await chat_of(update).send_message(text, reply_markup=keyboard)
        else:
            await answer(update, *self._screen(context.lang, response, heading, offered))

    async def _apply(
        self, tx: aiosqlite.Connection, context: RembugContext, response: Response, press: FormButton
    ) -> tuple[Outcome, Response]:
        """Change the stored response for one press; return what happened and the response as it now is."""
        now = context.clock.now()
        form = self._form(response)
        action = press.action
        index = press.question
        question = form.questions[index] if index is not None and index < len(form.questions) else None
        if action in ON_SCREEN and (question is None or question.name != response.current):
            return Outcome.STALE, response
        choice = (
            question.choices[press.choice]
            if question and press.choice is not None and press.choice < len(question.choices)
            else None
        )
        if action is FormAction.CHOOSE and question and choice and question.type == "select_one":
            return Outcome.SHOWN, await self._store(tx, form, response, question.name, choice.name, now)
        if action is FormAction.TOGGLE and question and choice and question.type == "select_multiple":
            chosen = list(response.answers.get(question.name) or [])
            chosen = [c for c in chosen if c != choice.name] if choice.name in chosen else [*chosen, choice.name]
            await store.save_answer(tx, response.id, question.name, chosen, question.name, now)
            return Outcome.SHOWN, replace(response, answers={**response.answers, question.name: chosen})
        if action is FormAction.DONE and question and question.type == "select_multiple":
            if question.required and not response.answers.get(question.name):
                return Outcome.INCOMPLETE, response
            chosen = list(response.answers.get(question.name) or [])
            return Outcome.SHOWN, await self._store(tx, form, response, question.name, chosen, now)
        if action is FormAction.PICK and question and question.suggest:
            picked = (await self._offered(tx, response, context.user.id)).text_of(press.choice)
            if picked is None:  # no longer offered
                return Outcome.STALE, response
            return Outcome.SHOWN, await self._store(tx, form, response, question.name, picked, now)
        if action is FormAction.SKIP and question and not question.required:
            return Outcome.SHOWN, await self._store(tx, form, response, question.name, None, now)
        if action is FormAction.BACK and question:
            before = (form.previous(question.name, response.answers) or question).name
            await store.set_current(tx, response.id, before, now)
            return Outcome.SHOWN, replace(response, current=before)
        if action is FormAction.EDIT and question is not None and response.current is None:
            await store.set_current(tx, response.id, question.name, now)
            return Outcome.SHOWN, replace(response, current=question.name)
        if action is FormAction.CONTINUE:
            return Outcome.SHOWN, response  # nothing changes: show where it stands
        if action is FormAction.LATER:
            return Outcome.PAUSED, response
        if action is FormAction.SEND and response.current is None:
            if not form.complete(response.answers):
                return Outcome.INCOMPLETE, response
            await store.submit(tx, response.id, now)
            return Outcome.SUBMITTED, replace(response, status="submitted", submitted_at=response.submitted_at or now)
        return Outcome.STALE, response

    async def _store(
        self, tx: aiosqlite.Connection, form: Form, response: Response, name: str, value: Any, now: datetime
    ) -> Response:
        """Store one answer, drop answers it made moot, move to the next unanswered question; return the result."""
        answers = {**response.answers, name: value}
        applicable = form.applicable_answers(answers)
        moot = [q for q in answers if q not in applicable]
        if moot:
            await store.drop_answers(tx, response.id, moot)
        following = form.next_unanswered(applicable)
        current = following.name if following else None
        await store.save_answer(tx, response.id, name, value, current, now)
        return replace(response, answers={q: v for q, v in answers.items() if q in applicable}, current=current)

    async def _release(self, update: Update, context: RembugContext) -> None:
        """The person left the form (a command, another flow's button): typed text is no longer its answer."""
        if context.sender is None:
            return
        async with context.db.read() as conn:
            held = await store.focus_of(conn, context.user.id)
        if held is not None:
            async with context.db.transaction() as tx:
                await store.set_focus(tx, context.user.id, None)

    async def _typed(self, update: Update, context: RembugContext) -> None:
        """Typed text answers the focused response's typed question; otherwise it is not ours."""
        text = message_of(update).text or ""
        async with context.db.transaction() as tx:
            response_id = await store.focus_of(tx, context.user.id)
            response = await store.get_response(tx, response_id) if response_id else None
            if response is None or response.current is None:
                return
            question = self._form(response).question(response.current)
            state = await self._subject(response).state(tx, response, context.lang)
            if not state.open:
                return  # closed (a survey round): the catch-all says what happened (conversations/messages)
            problem: AnswerProblem | None = None
            offered = NOTHING
            if question.type in TYPED:
                try:
                    value = read_typed_answer(question, text)
                except AnswerProblem as refused:
                    problem = refused
                else:
                    if isinstance(value, str):  # a list behind the question hears a new name
                        await self.suggestions.heard(
                            tx, question, response, context.user.id, value, context.clock.now()
                        )
                    response = await self._store(
                        tx, self._form(response), response, question.name, value, context.clock.now()
                    )
                    response = await self._hold(tx, context, response)
                    offered = await self._offered(tx, response, context.user.id)
        if question.type not in TYPED:
            await message_of(update).reply_text(views.use_buttons(context.lang))
        elif problem is not None:
            await message_of(update).reply_text(views.problem_text(context.lang, problem, question))
        else:
            text, keyboard = self._screen(context.lang, response, state.heading, offered)
            await chat_of(update).send_message(text, reply_markup=keyboard)
        raise ApplicationHandlerStop

    async def _send_nudge(self, due: Due, application: RembugApplication) -> str:
        db = application.services.db
        async with db.read() as conn:
            response = await store.get_response(conn, due.payload["response"])
            if response is None or response.submitted or response.respondent_id is None:
                raise Skip("already sent")
            lang = await language_of(conn, response.respondent_id, application.services.settings.language)
            if not (await self._subject(response).state(conn, response, lang)).open:
                raise Skip("closed")
        text, keyboard = views.nudge(lang, self._form(response).title(lang), response.id)
        await application.bot.send_message(response.respondent_id, text, reply_markup=keyboard)
        return "nudged"

    def _form(self, response: Response) -> Form:
        return self.forms[(response.form_id, response.form_version)]

    def _subject(self, response: Response) -> Subject:
        return self.subjects[response.subject.split(":")[0]]


def heading_line(lang: str, title: str) -> str:
    """A default heading: the form's title in bold."""
    return translator(lang).gettext("<b>{title}</b>").format(title=title)

"""Asking a form on Telegram: one question per message, Back, Later, review, submit, nudges.

The Telegram half of the forms engine (``bot/forms.py`` is the other). A flow
plugs in with a ``Subject``: which responses it owns (``survey_round:3``),
whether they may still change, the heading above each question, and what
happens after sending. Then it starts or resumes a response with
``await dialog.show(update, context, response_id)``; everything else (buttons,
typed answers, Back, Later, review, a nudge a day later) is handled here, the
same way for every questionnaire.

Every answer is committed before the next question is shown. The question on
screen is stored (``form_responses.current``), so a button of an older
question, or the same button tapped on two phones, is answered as stale and
changes nothing; after a restart the person continues where they stood.

Typed text goes to the flow the person is in. A shown form holds the
person's typed text (``form_focus``) until they leave it: another command,
/menu, /cancel, or any button that is not the form's own releases it, and
the text then goes to whatever they opened. Coming back (the form's Continue
button, the flow's own entry such as /survey) shows the same question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import aiosqlite
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import form_views as views
from bot.buttons import parse_callback
from bot.context import RembugContext
from bot.forms import AnswerProblem, Form, read_typed_answer
from bot.i18n import translator
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.update_parts import chat_of, message_of, query_of
from storage import forms as store
from storage import reminders as due_messages
from storage.forms import Response
from storage.reminders import Due

NUDGE = "form.nudge"
LEAVING_GROUP = -2  # first: a command or another flow's button releases the form's hold on typed text
TYPED_ANSWER_GROUP = -1  # before the flows: typed text for an open typed question is an answer


@dataclass(frozen=True)
class Subject:
    """How a flow's responses behave: ``kind`` is the part of ``subject`` before the colon."""

    kind: str
    is_open: Callable[[aiosqlite.Connection, str], Awaitable[bool]]
    heading: Callable[[aiosqlite.Connection, Response, str], Awaitable[str]]
    on_submitted: Callable[[Update, RembugContext, Response], Awaitable[None]]
    nudge_after: timedelta | None = timedelta(days=1)


class FormDialog:
    """The forms a flow registered, and the handlers that ask them."""

    def __init__(self) -> None:
        self.forms: dict[tuple[str, int], Form] = {}
        self.subjects: dict[str, Subject] = {}

    def add_forms(self, forms: dict[tuple[str, int], Form]) -> None:
        """Make definitions available (loaded with ``bot.forms.load_forms``)."""
        self.forms.update(forms)

    def latest(self, form_id: str) -> Form:
        """The newest version of a form."""
        versions = [f for (fid, _v), f in self.forms.items() if fid == form_id]
        return max(versions, key=lambda f: f.version)

    def register_subject(self, subject: Subject) -> None:
        """Let a flow own responses whose subject starts with ``subject.kind``."""
        self.subjects[subject.kind] = subject

    def register(self, application: RembugApplication) -> None:
        """Add the button and typed-answer handlers, and the nudge kind of the reminder engine."""
        application.add_handler(CallbackQueryHandler(self._button, pattern=f"^{views.PREFIX}:"))
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, self._release), group=LEAVING_GROUP
        )
        application.add_handler(
            CallbackQueryHandler(self._release, pattern=f"^(?!{views.PREFIX}:)"), group=LEAVING_GROUP
        )
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
            await store.set_focus(tx, context.user.id, response_id)
            heading = await self._subject(response).heading(tx, response, context.lang)
            if response.current is None and not response.submitted:
                form = self._form(response)
                following = form.next_unanswered(form.applicable_answers(response.answers))
                if following is not None:
                    await store.set_current(tx, response_id, following.name, context.clock.now())
                    response = await store.get_response(tx, response_id)
        form = self._form(response)
        if response.current is None:
            text, keyboard = views.review_message(
                context.lang, form, response.id, response.answers, heading, response.submitted
            )
        else:
            question = form.question(response.current)
            text, keyboard = views.question_message(
                context.lang, form, question, response.id, response.answers, heading
            )
        if edit:
            await answer(update, text, keyboard)
        else:
            await chat_of(update).send_message(text, reply_markup=keyboard)

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
        query = query_of(update)
        parts = parse_callback(query.data, views.PREFIX) or []
        if len(parts) < 2 or not parts[0].isdigit() or not all(p.isdigit() for p in parts[2:]):
            await answer_tap(query, views.stale(context.lang))
            return
        response_id, action, numbers = int(parts[0]), parts[1], [int(p) for p in parts[2:]]
        async with context.db.transaction() as tx:
            response = await store.get_response(tx, response_id)
            if response is None or context.user.id not in (response.entered_by, response.respondent_id):
                outcome = "stale"
            elif not await self._subject(response).is_open(tx, response.subject):
                outcome = "closed"
            else:
                outcome = await self._apply(tx, context, response, action, numbers)
        if outcome in ("stale", "closed", "incomplete"):
            texts = {"stale": views.stale, "closed": views.closed, "incomplete": views.incomplete}
            await answer_tap(query, texts[outcome](context.lang), show_alert=outcome != "stale")
            return
        if outcome == "paused":
            async with context.db.transaction() as tx:
                await store.set_focus(tx, context.user.id, None)
            await answer_tap(query)
            await answer(update, views.paused(context.lang))
        elif outcome == "submitted":
            async with context.db.transaction() as tx:
                await store.set_focus(tx, context.user.id, None)
                response = await store.get_response(tx, response_id)
            await answer_tap(query)
            await self._subject(response).on_submitted(update, context, response)
        else:
            await answer_tap(query)
            await self.show(update, context, response_id)

    async def _apply(self, tx, context: RembugContext, response: Response, action: str, numbers: list[int]) -> str:
        """Change the stored response for one button; return what happened."""
        form = self._form(response)
        now = context.clock.now()
        question = form.questions[numbers[0]] if numbers and numbers[0] < len(form.questions) else None
        on_screen = question is not None and question.name == response.current
        if action in ("o", "t", "d", "s", "b") and not on_screen:
            return "stale"
        if action == "o" and len(numbers) == 2 and numbers[1] < len(question.choices) and question.type == "select_one":
            await self._store(tx, form, response, question.name, question.choices[numbers[1]].name, now)
        elif (
            action == "t"
            and len(numbers) == 2
            and numbers[1] < len(question.choices)
            and question.type == "select_multiple"
        ):
            chosen = list(response.answers.get(question.name) or [])
            name = question.choices[numbers[1]].name
            chosen = [c for c in chosen if c != name] if name in chosen else [*chosen, name]
            await store.save_answer(tx, response.id, question.name, chosen, question.name, now)
        elif action == "d" and question.type == "select_multiple":
            if question.required and not response.answers.get(question.name):
                return "incomplete"
            await self._store(tx, form, response, question.name, list(response.answers.get(question.name) or []), now)
        elif action == "s" and not question.required:
            await self._store(tx, form, response, question.name, None, now)
        elif action == "b":
            before = form.previous(question.name, response.answers)
            await store.set_current(tx, response.id, (before or question).name, now)
        elif action == "e" and question is not None and response.current is None:
            await store.set_current(tx, response.id, question.name, now)
        elif action in ("c", "v"):
            pass  # continue / show: nothing changes
        elif action == "l":
            return "paused"
        elif action == "x" and response.current is None:
            if not form.complete(response.answers):
                return "incomplete"
            await store.submit(tx, response.id, now)
            return "submitted"
        else:
            return "stale"
        return "shown"

    async def _store(self, tx, form: Form, response: Response, name: str, value, now) -> None:
        answers = {**response.answers, name: value}
        applicable = form.applicable_answers(answers)
        moot = [q for q in answers if q not in applicable]
        if moot:
            await store.drop_answers(tx, response.id, moot)
        following = form.next_unanswered(applicable)
        await store.save_answer(tx, response.id, name, value, following.name if following else None, now)

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
        async with context.db.read() as conn:
            response_id = await store.focus_of(conn, context.user.id)
            response = await store.get_response(conn, response_id) if response_id else None
        if response is None or response.current is None:
            return
        question = self._form(response).question(response.current)
        if question.type not in ("integer", "text", "date"):
            await message_of(update).reply_text(views.use_buttons(context.lang))
            raise ApplicationHandlerStop
        try:
            value = read_typed_answer(question, message_of(update).text)
        except AnswerProblem as problem:
            await message_of(update).reply_text(views.problem_text(context.lang, problem))
            raise ApplicationHandlerStop from None
        async with context.db.transaction() as tx:
            fresh = await store.get_response(tx, response.id)
            if fresh.current != question.name or not await self._subject(fresh).is_open(tx, fresh.subject):
                return
            await self._store(tx, self._form(fresh), fresh, question.name, value, context.clock.now())
        await self.show(update, context, response.id, edit=False)
        raise ApplicationHandlerStop

    async def _send_nudge(self, due: Due, application: RembugApplication) -> str:
        db = application.services.db
        async with db.read() as conn:
            response = await store.get_response(conn, due.payload["response"])
            if response is None or response.submitted:
                raise Skip("already sent")
            if not await self._subject(response).is_open(conn, response.subject):
                raise Skip("closed")
            lang = await language_of(conn, response.respondent_id, application.services.settings.language)
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

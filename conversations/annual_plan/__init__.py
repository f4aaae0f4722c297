"""The cluster's annual plan (see flow.mmd): one plan per cluster and year gathering the published
action plans' activities, the meetings scheduled, the coordination meetings intended and the trainings
and study tours the facilitator adds; a calendar members open month by month; Excel and PDF downloads;
adopted at a meeting like the vision and mission (numbered versions, members' answers)."""

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.annual_plan import adoption, building, calendar, documents, stale
from conversations.annual_plan.rules import PREFIX, Step

Callback = Callable[[Update, RembugContext], Coroutine[Any, Any, object]]
BUTTONS: dict[Step, Callback] = {
    Step.HOME: calendar.show_home,
    Step.MONTH: calendar.show_month,
    Step.ADOPTED: calendar.show_adopted,
    Step.COORDINATION: building.show_coordination,
    Step.TOGGLE: building.toggle_month,
    Step.EVENTS: building.show_events,
    Step.REMOVE: building.remove,
    Step.EXCEL: documents.send_excel,
    Step.PDF: documents.send_pdf,
    Step.DRAFTS: adoption.show_drafts,
    Step.PUBLISH: adoption.publish,
    Step.RESPONSES: adoption.show_responses,
    Step.ASK_MEETING: adoption.ask_adopting_meeting,
    Step.ADOPT: adoption.adopt,
    Step.SKIP: adoption.skip_comment,
}
DUE_KINDS = {
    adoption.CARD: adoption.send_card,
    adoption.NUDGE: adoption.send_nudge,
    adoption.CLOSED: adoption.send_closed,
}


def _on(step: Step, callback: Callback) -> CallbackQueryHandler:
    """A handler for ``ap1:<step>`` buttons, with or without parts after the step."""
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{step.value}(:|$)")


def _leaving(callback: Callback) -> Callable[[Update, RembugContext], Coroutine[Any, Any, int]]:
    async def leave_step(update: Update, context: RembugContext) -> int:
        """Another button of the plan (Cancel goes to the year's page): do what it does, leave the step."""
        await callback(update, context)
        return ConversationHandler.END

    return leave_step


def conversation() -> ConversationHandler:
    """The steps that wait for typing: a training's or study tour's name and dates, a member's comment
    (named and persistent, so a restart resumes them)."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            _on(Step.ADD, building.begin_add),
            _on(Step.AGREE, adoption.agree),
            _on(Step.CHANGE, adoption.needs_change),
        ],
        states={
            building.TITLE: [
                MessageHandler(text, building.receive_title),
                MessageHandler(other, building.buttons_please),
            ],
            building.WHEN: [
                _on(Step.PICK_MONTH, building.pick_month),
                MessageHandler(text, building.receive_dates),
                MessageHandler(other, building.buttons_please),
            ],
            adoption.COMMENT: [
                MessageHandler(text, adoption.receive_comment),
                _on(Step.SKIP, adoption.skip_comment),
                MessageHandler(other, building.buttons_please),
            ],
        },
        fallbacks=[
            *exit_handlers(building.FLOW),
            *(_on(step, _leaving(callback)) for step, callback in BUTTONS.items()),
        ],
        name="annual_plan",
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the annual plan's conversation, buttons, /year and its due-message kinds."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "year",
            N_("📅 Annual plan"),
            N_("the cluster's year: this month's and next month's activities, the plan's drafts and adoption."),
            callback_data(PREFIX, Step.HOME.value),
            action=Action.VIEW_YEAR,
            order=71,
        )
    )
    for kind, sender in DUE_KINDS.items():
        application.services.reminders.register(kind, sender)
    application.add_handler(conversation())
    application.add_handler(CommandHandler("year", calendar.show_home, filters=filters.ChatType.PRIVATE))
    for step, callback in BUTTONS.items():
        application.add_handler(_on(step, callback))


__all__ = ["register"]

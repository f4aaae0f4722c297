"""Tasks from meetings: at a meeting's notes a facilitator, the secretary or the meeting's organiser
hands out tasks (what, who, by when); each owner gets it with ✅ Done / 🙋 Need help and a reminder
the day before; overdue tasks come back on the next meeting's agenda and in the committee's digest;
a member's /menu shows their open tasks."""

from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.tasks import assigning, doing, stale
from conversations.tasks.rules import PREFIX, Step


def _on(step: Step, callback, *, more: bool = True) -> CallbackQueryHandler:
    """A handler for ``tk1:<step>`` buttons (``more``: with parts after the step)."""
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{step.value}" + (":" if more else "$"))


def assign_conversation() -> ConversationHandler:
    """Handing out a task: what, who, by when (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[_on(Step.ADD, assigning.begin)],
        states={
            "what": [MessageHandler(text, assigning.receive_what), MessageHandler(other, assigning.buttons_please)],
            "owners": [
                _on(Step.OWNER, assigning.toggle_owner),
                _on(Step.OWNERS, assigning.turn_page),
                _on(Step.OWNERS_DONE, assigning.owners_done, more=False),
                MessageHandler(other, assigning.buttons_please),
            ],
            "due": [_on(Step.DUE, assigning.choose_due), MessageHandler(text, assigning.type_due)],
        },
        fallbacks=[*exit_handlers(assigning.FLOW), _on(Step.MEETING, assigning.show_meeting_tasks)],
        name=assigning.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def help_conversation() -> ConversationHandler:
    """🙋 Need help: an optional note (named and persistent)."""
    return ConversationHandler(
        entry_points=[_on(Step.HELP, doing.begin_help)],
        states={
            "note": [
                MessageHandler(filters.TEXT & ~filters.COMMAND, doing.receive_note),
                _on(Step.SKIP, doing.skip_note, more=False),
            ]
        },
        fallbacks=[*exit_handlers(doing.HELP_FLOW), _on(Step.DONE, doing.mark_done)],
        name=doing.HELP_FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the tasks' menu entry, conversations, buttons and the reminder's due message."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "mytasks",
            N_("📌 My tasks"),
            N_("the tasks handed out to you at meetings: mark one done or ask for help."),
            callback_data(PREFIX, Step.MINE.value, 0),
            action=Action.DO_TASKS,
            order=21,
        )
    )
    application.services.reminders.register(assigning.REMINDER, doing.send_reminder)
    application.add_handler(assign_conversation())
    application.add_handler(help_conversation())
    for step, callback in (
        (Step.MEETINGS, assigning.show_meetings),
        (Step.MEETING, assigning.show_meeting_tasks),
        (Step.DONE, doing.mark_done),
        (Step.MINE, doing.my_tasks),
    ):
        application.add_handler(_on(step, callback))


__all__ = ["register"]

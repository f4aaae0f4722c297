"""Broadcasts delivered through the outbox and accounted for."""

from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.broadcasts import compose, delivery, stale
from conversations.broadcasts.rules import PREFIX


def conversation() -> ConversationHandler:
    """Composing a broadcast (named and persistent)."""
    content = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL | filters.VOICE
    return ConversationHandler(
        entry_points=[
            CommandHandler("broadcast", compose.begin, filters=filters.ChatType.PRIVATE),
            CallbackQueryHandler(compose.begin, pattern=f"^{PREFIX}:new$"),
        ],
        states={
            "audience": [
                CallbackQueryHandler(compose.choose_audience, pattern=f"^{PREFIX}:a:"),
                MessageHandler(~filters.COMMAND, compose.buttons_please),
            ],
            "message": [
                MessageHandler(content, compose.receive_message),
                MessageHandler(~filters.COMMAND, compose.receive_message),
            ],
            "review": [
                CallbackQueryHandler(compose.send_now, pattern=f"^{PREFIX}:send$"),
                CallbackQueryHandler(compose.send_later, pattern=f"^{PREFIX}:later:"),
                CallbackQueryHandler(compose.toggle_urgent, pattern=f"^{PREFIX}:urgent$"),
                CallbackQueryHandler(compose.choose_button, pattern=f"^{PREFIX}:btn"),
                MessageHandler(~filters.COMMAND, compose.buttons_please),
            ],
        },
        fallbacks=exit_handlers(compose.FLOW),
        name=compose.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add broadcasting, its menu entries, the outbox's progress report and the scheduled start."""
    stale.register(application)
    menu = application.services.menu
    menu.add(
        MenuEntry(
            "broadcast",
            N_("Broadcast"),
            N_("send an announcement to the cluster, some small groups or some members; see who got it."),
            callback_data(PREFIX, "new"),
            action=Action.SEND_BROADCAST,
            order=35,
        )
    )
    menu.add(
        MenuEntry(
            "mute",
            N_("Mute or unmute announcements"),
            N_("receive only urgent announcements of this cluster, or all of them again."),
            callback_data(PREFIX, "mute"),
            action=Action.MUTE_BROADCASTS,
            order=88,
        )
    )
    application.services.outbox.on_progress("broadcast", delivery.report_progress)
    application.services.reminders.register(delivery.START, delivery.start_scheduled)
    application.add_handler(conversation())
    application.add_handler(CallbackQueryHandler(compose.cancel_scheduled, pattern=f"^{PREFIX}:stop:"))
    application.add_handler(CallbackQueryHandler(compose.toggle_mute, pattern=f"^{PREFIX}:mute$"))
    application.add_handler(CallbackQueryHandler(compose.send_again, pattern=f"^{PREFIX}:again:"))


__all__ = ["register"]

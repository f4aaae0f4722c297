"""The cluster's firm list (members or not): list, add, import, download."""

from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import MenuEntry, N_
from bot.roles import Action
from conversations.newsletter import firms
from conversations.newsletter.rules import PREFIX


def add_conversation() -> ConversationHandler:
    """Adding one firm (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(firms.begin_add, pattern=f"^{PREFIX}:add$")],
        states={
            "name": [MessageHandler(text, firms.receive_name)],
            "village": [MessageHandler(text, firms.receive_village)],
            "business": [MessageHandler(text, firms.receive_business)],
            "type": [CallbackQueryHandler(firms.choose_type, pattern=f"^{PREFIX}:t:"), MessageHandler(~filters.COMMAND, firms.buttons_please)],
            "contact": [MessageHandler(text, firms.receive_contact), CallbackQueryHandler(firms.skip_contact, pattern=f"^{PREFIX}:skip$")],
        },
        fallbacks=exit_handlers(firms.FLOW),
        name=firms.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def import_conversation() -> ConversationHandler:
    """Importing a CSV or Excel file (named and persistent)."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(firms.begin_import, pattern=f"^{PREFIX}:imp$")],
        states={"file": [MessageHandler(~filters.COMMAND, firms.receive_file)]},
        fallbacks=exit_handlers(firms.IMPORT_FLOW),
        name=firms.IMPORT_FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: Application) -> None:
    """Add the firm list, its menu entry and its conversations."""
    menu = application.bot_data["menu"]
    menu.add(MenuEntry("firms", N_("Firm list"), N_("all firms of the cluster, members or not: add, import from CSV or Excel, download."),
                       callback_data(PREFIX, "p", 0), action=Action.MANAGE_FIRMS, order=37))
    application.add_handler(add_conversation())
    application.add_handler(import_conversation())
    application.add_handler(CallbackQueryHandler(firms.show_list, pattern=f"^{PREFIX}:p:"))
    application.add_handler(CallbackQueryHandler(firms.download, pattern=f"^{PREFIX}:(csv|xlsx)$"))


__all__ = ["register"]

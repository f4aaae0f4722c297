"""The cluster newsletter and the firm list (members or not): link the cluster's channel or group,
write and post the newsletter with its PDF; list, add, import and download firms."""

from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.newsletter import edition, firms, stale
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
            "type": [
                CallbackQueryHandler(firms.choose_type, pattern=f"^{PREFIX}:t:"),
                MessageHandler(~filters.COMMAND, firms.buttons_please),
            ],
            "contact": [
                MessageHandler(text, firms.receive_contact),
                CallbackQueryHandler(firms.skip_contact, pattern=f"^{PREFIX}:skip$"),
            ],
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


def link_conversation() -> ConversationHandler:
    """Picking the cluster's channel or group with Telegram's chat picker (named and persistent)."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(edition.begin_link, pattern=f"^{PREFIX}:link$")],
        states={
            "pick": [
                MessageHandler(filters.StatusUpdate.CHAT_SHARED, edition.receive_chat),
                MessageHandler(~filters.COMMAND, edition.picker_text),
            ],
        },
        fallbacks=exit_handlers(edition.LINK_FLOW),
        name=edition.LINK_FLOW,
        persistent=True,
        allow_reentry=True,
    )


def write_conversation() -> ConversationHandler:
    """Writing a newsletter: title, text, review, post (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(edition.begin_write, pattern=f"^{PREFIX}:write$")],
        states={
            "title": [
                MessageHandler(text, edition.receive_title),
                MessageHandler(~filters.COMMAND, edition.receive_title),
            ],
            "body": [MessageHandler(~filters.COMMAND, edition.receive_body)],
            "review": [
                CallbackQueryHandler(edition.confirm, pattern=f"^{PREFIX}:(go|pdf)$"),
                CallbackQueryHandler(edition.recheck, pattern=f"^{PREFIX}:recheck$"),
                MessageHandler(~filters.COMMAND, edition.buttons_please),
            ],
        },
        fallbacks=exit_handlers(edition.FLOW),
        name=edition.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the newsletter and the firm list, their menu entries, conversations and the post's report."""
    stale.register(application)
    menu = application.services.menu
    menu.add(
        MenuEntry(
            "newsletter",
            N_("Newsletter"),
            N_("tell every firm of the cluster how it is doing: in the cluster's channel and as a PDF."),
            callback_data(PREFIX, "home"),
            action=Action.SEND_NEWSLETTER,
            order=36,
        )
    )
    menu.add(
        MenuEntry(
            "firms",
            N_("Firm list"),
            N_("all firms of the cluster, members or not: add, import from CSV or Excel, download."),
            callback_data(PREFIX, "p", 0),
            action=Action.MANAGE_FIRMS,
            order=37,
        )
    )
    application.services.outbox.on_progress(edition.DELIVERY, edition.report_delivery)
    for conversation in (add_conversation(), import_conversation(), link_conversation(), write_conversation()):
        application.add_handler(conversation)
    application.add_handler(CallbackQueryHandler(firms.show_list, pattern=f"^{PREFIX}:p:"))
    application.add_handler(CallbackQueryHandler(firms.download, pattern=f"^{PREFIX}:(csv|xlsx)$"))
    application.add_handler(CallbackQueryHandler(edition.show_home, pattern=f"^{PREFIX}:home$"))
    application.add_handler(CallbackQueryHandler(edition.unlink, pattern=f"^{PREFIX}:unlink$"))
    application.add_handler(CallbackQueryHandler(edition.post_again, pattern=f"^{PREFIX}:again:"))
    application.add_handler(ChatMemberHandler(edition.bot_rights_changed, ChatMemberHandler.MY_CHAT_MEMBER))


__all__ = ["register"]

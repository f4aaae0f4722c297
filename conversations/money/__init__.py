"""The cluster's money (issue 24): the budget, the cash book kept by the treasurer and facilitators,
the chair's confirmation over a threshold, the balance and monthly summary for every member, the
monthly report through the outbox, and the downloads (cash book as Excel, the report as PDF)."""

from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.money import books, documents, entry, notices, stale
from conversations.money.rules import PREFIX, Do, Numbered


def _on(do: Do | Numbered) -> str:
    """The pattern of a books button (with or without a number)."""
    return f"^{PREFIX}:{do.value}(:|$)"


def conversation() -> ConversationHandler:
    """Recording an entry, setting a budget line or the threshold (named and persistent)."""
    typed = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(entry.begin, pattern=_on(Do.INCOME)),
            CallbackQueryHandler(entry.begin, pattern=_on(Do.SPENDING)),
            CallbackQueryHandler(books.begin_budget_line, pattern=_on(Numbered.LINE)),
            CallbackQueryHandler(books.begin_threshold, pattern=f"^{PREFIX}:{Do.THRESHOLD.value}$"),
        ],
        states={
            entry.DAY: [
                CallbackQueryHandler(entry.tap_day, pattern=_on(Do.TODAY)),
                CallbackQueryHandler(entry.tap_day, pattern=_on(Do.YESTERDAY)),
                MessageHandler(typed, entry.type_day),
                MessageHandler(other, entry.buttons_please),
            ],
            entry.AMOUNT: [MessageHandler(typed, entry.type_amount), MessageHandler(other, entry.buttons_please)],
            entry.PURPOSE: [MessageHandler(typed, entry.type_purpose), MessageHandler(other, entry.buttons_please)],
            entry.SOURCE: [
                CallbackQueryHandler(entry.tap_source, pattern=_on(Numbered.SOURCE)),
                MessageHandler(other, entry.buttons_please),
            ],
            entry.ACTIVITY: [
                CallbackQueryHandler(entry.tap_activity, pattern=_on(Numbered.ACTIVITY)),
                CallbackQueryHandler(entry.tap_activity, pattern=_on(Numbered.ACTIVITY_PAGE)),
                MessageHandler(other, entry.buttons_please),
            ],
            entry.RECEIPT: [
                MessageHandler(filters.PHOTO, entry.send_receipt),
                CallbackQueryHandler(entry.skip_receipt, pattern=_on(Do.SKIP)),
                MessageHandler(other, entry.send_receipt),
            ],
            entry.REVIEW: [
                CallbackQueryHandler(entry.save, pattern=_on(Do.SAVE)),
                MessageHandler(other, entry.buttons_please),
            ],
            books.BUDGET_AMOUNT: [
                MessageHandler(typed, books.type_budget_amount),
                MessageHandler(other, entry.buttons_please),
            ],
            books.THRESHOLD: [
                MessageHandler(typed, books.type_threshold),
                CallbackQueryHandler(books.no_threshold, pattern=_on(Do.NO_THRESHOLD)),
            ],
        },
        fallbacks=[*exit_handlers(entry.FLOW), CallbackQueryHandler(books.home_from_flow, pattern=_on(Do.HOME))],
        name=entry.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the books: the conversation, the buttons, /kas, the menu entry and the monthly report."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "books",
            N_("💰 Cluster cash"),
            N_("the cluster's balance and monthly summary; the treasurer records income and spending."),
            callback_data(PREFIX, Do.HOME.value),
            action=Action.VIEW_BOOKS,
            order=62,
        )
    )
    application.services.reminders.register(notices.MONTHLY, notices.send_monthly_report)
    application.add_handler(conversation())
    application.add_handler(CommandHandler("kas", books.show_home, filters=filters.ChatType.PRIVATE))
    for do, handler in (
        (Do.HOME, books.show_home),
        (Do.SUMMARY, books.show_summary),
        (Do.BUDGET, books.show_budget),
        (Numbered.BUDGET_PAGE, books.show_budget),
        (Do.XLSX, documents.download_xlsx),
        (Do.REPORTS, documents.choose_period),
        (Do.TREASURER, books.choose_treasurer),
        (Numbered.LIST, books.show_entries),
        (Numbered.ENTRY, books.show_entry),
        (Numbered.REVERSE, books.show_entry),
        (Numbered.REVERSE_YES, books.reverse),
        (Numbered.CONFIRM, books.decide),
        (Numbered.REJECT, books.decide),
        (Numbered.APPOINT, books.appoint_treasurer),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=_on(do)))
    application.add_handler(CallbackQueryHandler(documents.download_pdf, pattern=f"^{PREFIX}:pdf:"))


__all__ = ["register"]

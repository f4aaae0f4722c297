"""Dues (iuran): the cluster sets them (whole rupiah, monthly or yearly, from a month); the treasurer or
a facilitator ticks who paid, several periods at once, into the cash book; every member sees their
own status; an overdue member gets one polite reminder a period; who is behind is shown only to the
treasurer and the chair."""

from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.dues import home, paying, reminding, setting, stale
from conversations.dues.rules import PREFIX, Step


def _on(step: Step, callback, *, more: bool = False) -> CallbackQueryHandler:
    """A handler for ``du1:<step>`` buttons (``more``: with parts after the step)."""
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{step.value}" + (":" if more else "$"))


def set_conversation() -> ConversationHandler:
    """Setting the dues (named and persistent)."""
    not_text = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[_on(Step.SET, setting.begin)],
        states={
            "amount": [MessageHandler(filters.TEXT & ~filters.COMMAND, setting.receive_amount)],
            "cadence": [
                _on(Step.CADENCE, setting.choose_cadence, more=True),
                MessageHandler(not_text, setting.buttons_please),
            ],
            "start": [
                _on(Step.START, setting.choose_start, more=True),
                MessageHandler(not_text, setting.buttons_please),
            ],
        },
        fallbacks=exit_handlers(setting.FLOW),
        name=setting.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def pay_conversation() -> ConversationHandler:
    """Ticking who paid (named and persistent: a restart resumes with the ticks kept)."""
    return ConversationHandler(
        entry_points=[_on(Step.PAY, paying.begin)],
        states={
            "member": [
                _on(Step.PAGE, paying.turn_page, more=True),
                _on(Step.ALL, paying.turn_page),
                _on(Step.MEMBER, paying.choose_member, more=True),
                MessageHandler(filters.TEXT & ~filters.COMMAND, paying.receive_search),
            ],
            "periods": [
                _on(Step.TOGGLE, paying.toggle_period, more=True),
                _on(Step.REVIEW, paying.to_review),
                _on(Step.ALL, paying.turn_page),
                MessageHandler(~filters.COMMAND, paying.buttons_please),
            ],
            "review": [
                _on(Step.RECORD, paying.record),
                _on(Step.BACK, paying.back_to_periods),
                MessageHandler(~filters.COMMAND, paying.buttons_please),
            ],
        },
        fallbacks=exit_handlers(paying.FLOW),
        name=paying.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the dues' menu entry, conversations, buttons and the overdue reminder."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "dues",
            N_("🧾 Dues"),
            N_("your dues: paid up to when, what is owed; the treasurer records who paid."),
            callback_data(PREFIX, Step.HOME.value),
            action=Action.VIEW_OWN_DUES,
            order=72,
        )
    )
    application.services.reminders.register(reminding.OVERDUE, reminding.send_overdue)
    for conversation in (set_conversation(), pay_conversation()):
        application.add_handler(conversation)
    application.add_handler(_on(Step.HOME, home.show_home))
    application.add_handler(_on(Step.ARREARS, home.show_arrears, more=True))


__all__ = ["register"]

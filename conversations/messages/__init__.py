"""Members write to their facilitators; facilitators answer with one tap (see flow.mmd)."""

from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.flows import exit_handlers
from bot.services import RembugApplication
from conversations.messages import replying, writing
from conversations.messages.rules import PREFIX, LetterAction


def conversation() -> ConversationHandler:
    """A facilitator's answer to a member's letter (named and persistent)."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(replying.begin, pattern=f"^{PREFIX}:{LetterAction.ANSWER.value}:")],
        states={
            replying.ANSWER: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, replying.receive_answer),
                MessageHandler(~filters.COMMAND, replying.not_text),
            ]
        },
        fallbacks=exit_handlers(replying.FLOW),
        name=replying.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the member's Send and Cancel buttons and the facilitator's answer conversation.

    The member's text itself reaches ``writing.offer`` from the start flow's catch-all, after every
    flow and form had its chance at it.
    """
    application.add_handler(conversation())
    application.add_handler(CallbackQueryHandler(writing.send, pattern=f"^{PREFIX}:{LetterAction.SEND.value}:"))
    application.add_handler(CallbackQueryHandler(writing.drop, pattern=f"^{PREFIX}:{LetterAction.DROP.value}:"))


__all__ = ["register"]

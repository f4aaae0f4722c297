"""/mydata: see everything Rembug holds about you, download it (PDF, JSON), or erase it (see flow.mmd)."""

from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.services import RembugApplication
from conversations.my_data import handlers
from conversations.my_data.rules import PREFIX, MyDataAction


def _pattern(*actions: MyDataAction) -> str:
    return f"^{PREFIX}:(" + "|".join(a.value for a in actions) + ")$"


def register(application: RembugApplication) -> None:
    """Add /mydata and its buttons."""
    application.add_handler(CommandHandler("mydata", handlers.show_summary, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(handlers.show_summary, pattern=_pattern(MyDataAction.SHOW)))
    application.add_handler(
        CallbackQueryHandler(handlers.send_copy, pattern=_pattern(MyDataAction.PDF, MyDataAction.JSON))
    )
    application.add_handler(CallbackQueryHandler(handlers.ask_erase, pattern=_pattern(MyDataAction.ERASE)))
    application.add_handler(CallbackQueryHandler(handlers.erase, pattern=_pattern(MyDataAction.ERASE_CONFIRMED)))


__all__ = ["register"]

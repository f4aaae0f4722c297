"""/privacy: what Rembug stores, why, who sees it, how long, and the person's rights (see flow.mmd)."""

from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.services import RembugApplication
from conversations.privacy import handlers
from conversations.privacy.rules import PREFIX


def register(application: RembugApplication) -> None:
    """Add /privacy and the buttons of its parts."""
    application.add_handler(CommandHandler("privacy", handlers.show_privacy, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(handlers.show_part, pattern=f"^{PREFIX}:"))


__all__ = ["register"]

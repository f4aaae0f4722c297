"""Who saw what: the record of downloads of personal data and of role changes, and its screens (see flow.mmd).

Flows record with ``storage.access_log.record`` in their own transaction and an ``Access`` of
``rules``; where a file is sent with no transaction, ``note_download`` (a tap) or ``note_sent``
(a file the bot sends on its own) records right after sending.
"""

from telegram.ext import CallbackQueryHandler

from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.access_log.handlers import show_log
from conversations.access_log.recording import note_download, note_sent
from conversations.access_log.rules import PREFIX, Access, log_button
from conversations.access_log.views import LOG_LABEL

MENU_ENTRY = MenuEntry(
    "accesslog",
    LOG_LABEL,
    N_("who downloaded members' data and who changed whose role, newest first."),
    log_button(),
    action=Action.VIEW_ACCESS_LOG,
    order=58,
)


def register(application: RembugApplication) -> None:
    """Add the record's menu entry (facilitators) and its page buttons."""
    application.services.menu.add(MENU_ENTRY)
    application.add_handler(CallbackQueryHandler(show_log, pattern=f"^{PREFIX}:"))


__all__ = ["Access", "note_download", "note_sent", "register"]

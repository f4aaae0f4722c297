"""The command list Telegram shows under "/", set for each language."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import Application

from bot.i18n import translator
from bot.menu import N_
from bot.settings import LANGUAGES

# Everyone's commands, with what each does (message ids).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and show the main menu")),
    ("menu", N_("Show the main menu")),
    ("help", N_("What each button does")),
    ("join", N_("Join a cluster with its invitation code")),
    ("profile", N_("See or change your profile")),
    ("cluster", N_("Switch to another of your clusters")),
    ("kas", N_("The cluster's cash: balance and monthly summary")),
    ("mydata", N_("See, download or erase your data")),
    ("committee", N_("The committees you follow: digests and reports")),
    ("privacy", N_("What Rembug keeps about you, who sees it, your rights")),
    ("language", N_("Bahasa / Language")),
    ("cancel", N_("Leave what you are doing")),
)


def commands_for(lang: str) -> list[BotCommand]:
    """The command list in ``lang``."""
    _ = translator(lang).gettext
    return [BotCommand(name, _(description)) for name, description in COMMANDS]


async def publish_commands(application: Application, default_language: str) -> None:
    """Call setMyCommands for each language and for users whose language is neither."""
    for lang in LANGUAGES:
        await application.bot.set_my_commands(commands_for(lang), language_code=lang)
    await application.bot.set_my_commands(commands_for(default_language))

"""The main menu: flows register their entries; each person sees what their roles allow.

A flow registers at start-up::

    menu.add(MenuEntry("newcluster", N_("New cluster"), N_("Create a cluster ..."),
                       callback_data("mb1", "new"), action=Action.CREATE_CLUSTER, order=10))

``/start``, ``/menu`` and every "back to menu" render the same menu, and
``/help`` explains the same entries, so they never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import translator
from bot.roles import Action, Standing, allowed


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it yet."""
    return message


@dataclass(frozen=True)
class MenuEntry:
    """One button of the main menu."""

    key: str
    label: str  # message id
    help: str  # message id: what the button does, for /help
    callback_data: str
    action: Action | None = None  # None: everyone sees it
    order: int = 100


class Menu:
    """The registered entries, kept in the application's services (``bot.services``)."""

    def __init__(self) -> None:
        self._entries: dict[str, MenuEntry] = {}

    def add(self, entry: MenuEntry) -> None:
        """Register an entry (registering a key again replaces it)."""
        self._entries[entry.key] = entry

    def entries_for(self, standing: Standing) -> list[MenuEntry]:
        """The entries ``standing`` may use, in menu order."""
        visible = [e for e in self._entries.values() if e.action is None or allowed(standing, e.action)]
        return sorted(visible, key=lambda entry: (entry.order, entry.key))

    def keyboard(self, standing: Standing, lang: str) -> InlineKeyboardMarkup:
        """The menu as an inline keyboard, two short buttons a row."""
        _ = translator(lang).gettext
        buttons = [
            InlineKeyboardButton(_(entry.label), callback_data=entry.callback_data)
            for entry in self.entries_for(standing)
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return InlineKeyboardMarkup(rows)

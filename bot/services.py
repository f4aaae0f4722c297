"""The services every handler and due-message handler uses, as one typed object.

``build_application`` (``bot/app.py``) makes one ``Services`` and hangs it on
the ``RembugApplication``; a handler reaches it as ``context.services``, a
due-message handler (``(due, application)``) as ``application.services``.
Nothing lives in PTB's string-keyed ``bot_data``.

A flow that must keep something for the life of the process (a live panel's
last edit, a report being made) asks for its own typed object with
``services.state(ItsClass)``: one instance per application, made on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.ext import Application

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.form_dialog import FormDialog
    from bot.inbox import Inbox
    from bot.menu import Menu
    from bot.outbox import Outbox
    from bot.reminders import ReminderEngine
    from bot.settings import Settings
    from storage.database import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    """The database, the clock, the settings and the engines, built once at start-up."""

    db: Database
    clock: Clock
    settings: Settings
    menu: Menu
    reminders: ReminderEngine
    outbox: Outbox
    forms: FormDialog
    inbox: Inbox
    _states: dict[type, Any] = field(default_factory=dict, repr=False)

    def state(self, kind: type[T]) -> T:
        """The process's one ``kind`` object (a flow's own state), made with ``kind()`` on first use."""
        found = self._states.get(kind)
        if found is None:
            found = self._states[kind] = kind()
        return found


class RembugApplication(Application):
    """PTB's Application with Rembug's services on it."""

    services: Services

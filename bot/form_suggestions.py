"""Entries a flow offers under a form's text question: the forms engine's suggestion sources.

A text question may name a source (``suggest: supporters`` in its definition). The flow that
keeps such a list registers it at start-up, the way handlers register::

    application.services.forms.add_suggestions("supporters", SuggestionSource(entries, on_typed, note))

The dialog (``bot/form_dialog.py``) then shows the source's entries as buttons under the
question (a tap stores the entry's text as the answer), still takes typed text, and lets the
source hear what was typed in the transaction that stores it (to add it to its list). The
engine never imports a flow: a question naming no registered source simply offers nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.forms import Question
from storage.forms import Response


@dataclass(frozen=True)
class SuggestionSource:
    """A flow's entries for questions that name it.

    ``entries(conn, response, user_id)`` lists ``(number, text)`` pairs for this response (a few:
    each is a button); ``on_typed(tx, response, user_id, text, now)``, when given, hears a typed
    answer in the transaction that stores it; ``note`` (a message id) is said under the question.
    """

    entries: Callable[[aiosqlite.Connection, Response, int], Awaitable[list[tuple[int, str]]]]
    on_typed: Callable[[aiosqlite.Connection, Response, int, str, datetime], Awaitable[None]] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Offered:
    """What a question on screen offers: its entries as ``(number, text)`` and the source's note."""

    entries: tuple[tuple[int, str], ...] = ()
    note: str | None = None

    def text_of(self, number: int | None) -> str | None:
        """The text of the entry a button's number names (None: no longer offered)."""
        return next((text for n, text in self.entries if n == number), None)


NOTHING = Offered()


class Suggestions:
    """The registered sources, by the name a question's ``suggest`` gives."""

    def __init__(self) -> None:
        self._sources: dict[str, SuggestionSource] = {}

    def add(self, name: str, source: SuggestionSource) -> None:
        """Let questions with ``suggest: <name>`` offer ``source``'s entries."""
        self._sources[name] = source

    async def offered(
        self, conn: aiosqlite.Connection, question: Question | None, response: Response, user_id: int
    ) -> Offered:
        """What ``question`` (on screen for ``response``) offers; nothing without a registered source."""
        source = self._sources.get(question.suggest or "") if question is not None else None
        if source is None:
            return NOTHING
        return Offered(tuple(await source.entries(conn, response, user_id)), source.note)

    async def heard(
        self, tx: aiosqlite.Connection, question: Question, response: Response, user_id: int, text: str, now: datetime
    ) -> None:
        """Tell ``question``'s source what was typed as its answer (in the storing transaction)."""
        source = self._sources.get(question.suggest or "")
        if source is not None and source.on_typed is not None:
            await source.on_typed(tx, response, user_id, text, now)

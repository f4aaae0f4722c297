"""The bot's update queue and getUpdates long polling, with Telegram's semantics.

An update stays queued until a later getUpdates confirms it with a higher
offset, so a bot that crashes before confirming sees it again on restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Any

from emulator.errors import CONFLICT, WEBHOOK_ACTIVE, ApiError

# Without allowed_updates Telegram sends every kind except these.
_OPT_IN_KINDS = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Updates waiting for the bot, and the one long poll allowed at a time."""

    def __init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._allowed: frozenset[str] | None = None
        self._poll: object | None = None  # the token of the poll in progress
        self._closed = False
        self.webhook_active = False  # while a webhook is set, getUpdates is refused

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue a new update of `kind` (e.g. "message", "callback_query")."""
        update = {"update_id": next(self._ids), kind: payload}
        self._updates.append(update)
        self._wake()
        return update

    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by an offset."""
        return list(self._updates)

    def drop_all(self) -> None:
        """Forget every pending update (deleteWebhook with drop_pending_updates)."""
        self._updates.clear()

    def confirm(self, offset: int) -> None:
        """Apply a getUpdates offset: forget what the bot has acknowledged."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    async def get(
        self,
        offset: int | None = None,
        limit: int = 100,
        timeout: float = 0,
        allowed_updates: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm `offset`, then wait up to `timeout` s for updates.

        A newer getUpdates ends an older one still waiting with 409 Conflict,
        as Telegram does when two bot instances poll the same token.
        """
        if self.webhook_active:
            raise ApiError(409, WEBHOOK_ACTIVE)
        if offset is not None:
            self.confirm(offset)
        self.allow(allowed_updates)  # Telegram remembers the last setting
        limit = min(max(limit, 1), 100)
        token = object()
        if self._poll is not None:
            self._wake()
        self._poll = token
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0)
        try:
            while True:
                if self._poll is not token:
                    raise ApiError(409, CONFLICT)
                ready = self._deliverable(limit)
                remaining = deadline - loop.time()
                if ready or remaining <= 0 or self._closed:
                    return ready
                changed = self._changed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
        finally:
            if self._poll is token:
                self._poll = None

    def allow(self, allowed_updates: list[str] | None) -> None:
        """Remember which kinds the bot wants (getUpdates' or setWebhook's ``allowed_updates``)."""
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) if allowed_updates else None

    async def next_deliverable(self) -> dict[str, Any] | None:
        """The oldest update the bot wants, waiting for one; None once the server is closing."""
        while not self._closed:
            ready = self._deliverable(1)
            if ready:
                return ready[0]
            await self._changed.wait()
        return None

    def close(self) -> None:
        """End waiting polls at once (the server is stopping); later polls don't wait."""
        self._closed = True
        self._wake()

    def reopen(self) -> None:
        """Let polls wait again after a restart of the server."""
        self._closed = False

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Kinds the bot did not ask for are dropped, never delivered later.
        self._updates = [u for u in self._updates if self._wanted(u)]
        return self._updates[:limit]

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed is None:
            return kind not in _OPT_IN_KINDS
        return kind in self._allowed

    def _wake(self) -> None:
        """Wake every waiting poll; each re-checks the queue and its own token."""
        self._changed.set()
        self._changed = asyncio.Event()

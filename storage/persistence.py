"""PTB persistence on the bot's own SQLite database.

Conversation states are stored as JSON next to the domain tables, so a
restart (even ``kill -9``) resumes every conversation where it stood.

A state and the update that moved it are one: PTB hands new states over
(``update_conversation``) whenever it updates persistence, possibly while the
update that caused a state is still being handled, or for another chat's
update. So states are held here until the inbox marks their chat's update
handled, and written in that same transaction (``write_states``). A crash in
between replays the update in the state it found, never in the state it left
(which would take a replayed answer as the answer to the next question).

User data, chat data and bot data are not persisted: no flow keeps anything
there (everything durable lives in the domain tables), and bot data holds live
objects (the database handle, the clock).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import aiosqlite
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.database import Database


class SQLitePersistence(BasePersistence[dict, dict, dict]):
    """Store PTB's user data, chat data and conversation states in SQLite as JSON."""

    def __init__(self, database: Database, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self.database = database
        self._pending: dict[tuple[str, ConversationKey], object | None] = {}

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Load every user's data."""
        return await self._load_documents("SELECT user_id, data FROM ptb_user_data")

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Load every chat's data."""
        return await self._load_documents("SELECT chat_id, data FROM ptb_chat_data")

    async def get_bot_data(self) -> dict[Any, Any]:
        """Bot data is not persisted (see the module docstring)."""
        return {}

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used: buttons carry short parseable strings."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """Load the states of the named conversation handler."""
        async with (
            self.database.read() as conn,
            conn.execute("SELECT key, state FROM ptb_conversations WHERE name = ?", (name,)) as cursor,
        ):
            rows = await cursor.fetchall()
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """Hold one conversation's new state (``None``: it ended) until its update is marked handled."""
        self._pending[(name, key)] = new_state

    async def write_states(self, tx: aiosqlite.Connection, chat_id: int) -> int:
        """Write the held states of ``chat_id``'s conversations in ``tx`` (the inbox's mark); return how many."""
        ready = [(name, key) for name, key in self._pending if key and key[0] == chat_id]
        for name, key in ready:
            await _write_state(tx, name, key, self._pending.pop((name, key)))
        return len(ready)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Store one user's data."""
        await self._store_document("ptb_user_data", "user_id", user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Store one chat's data."""
        await self._store_document("ptb_chat_data", "chat_id", chat_id, data)

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not used."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Forget one chat's data."""
        async with self.database.transaction() as tx:
            await tx.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (chat_id,))

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        async with self.database.transaction() as tx:
            await tx.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Nothing to refresh: bot data is not persisted."""

    async def flush(self) -> None:
        """Write every held state (PTB calls this when the application stops)."""
        if not self._pending:
            return
        async with self.database.transaction() as tx:
            for (name, key), state in list(self._pending.items()):
                await _write_state(tx, name, key, state)
        self._pending.clear()

    async def _load_documents(self, sql: str) -> dict[int, dict[Any, Any]]:
        async with self.database.read() as conn, conn.execute(sql) as cursor:
            rows = await cursor.fetchall()
        documents: dict[int, dict[Any, Any]] = defaultdict(dict)
        for key, data in rows:
            documents[int(key)] = json.loads(data)
        return documents

    async def _store_document(self, table: str, column: str, key: int, data: dict[Any, Any]) -> None:
        # json.dumps raises on anything that is not plain data, which keeps live objects
        # out of user_data: they would not survive a restart anyway.
        text = json.dumps(data, sort_keys=True)
        async with self.database.transaction() as tx:
            await tx.execute(
                f"INSERT INTO {table} ({column}, data) VALUES (?, ?) "
                f"ON CONFLICT ({column}) DO UPDATE SET data = excluded.data",
                (key, text),
            )


async def _write_state(tx: aiosqlite.Connection, name: str, key: ConversationKey, state: object | None) -> None:
    key_text = json.dumps(list(key))
    if state is None:
        await tx.execute("DELETE FROM ptb_conversations WHERE name = ? AND key = ?", (name, key_text))
    else:
        await tx.execute(
            "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
            "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
            (name, key_text, json.dumps(state)),
        )

"""Unfinished answers nobody came back to, found and deleted (bot/retention.py decides when).

Three kinds of draft are kept while a person works, each with its own sign of being abandoned:
- ``drafts`` rows (every multi-step flow's answers before its confirm, and the confirm screens a
  person has open): not written for the whole period;
- letters a member typed but neither sent nor cancelled (``kept``), and cancelled ones (``dropped``,
  kept only so a late tap could be explained): written before the period began;
- questionnaire responses still ``in_progress`` (never sent, or taken back to change and not sent
  again): not touched for the period. Whether their subject still takes answers (an open survey
  round) is the form dialog's to say, so these are only listed here and deleted by id.
A sent response, a sent letter and everything a flow confirmed are never touched here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.forms import Response, get_response
from storage.timestamps import to_text


@dataclass(frozen=True)
class Pruned:
    """How many rows of each kind a pass deleted."""

    updates: int = 0
    drafts: int = 0
    letters: int = 0
    responses: int = 0
    join_attempts: int = 0


async def prune_drafts(tx: aiosqlite.Connection, before: datetime) -> list[tuple[int, str]]:
    """Delete flow drafts (and stored confirm screens) last written before ``before``; return whose and which."""
    async with tx.execute(
        "DELETE FROM drafts WHERE updated_at < ? RETURNING user_id, flow", (to_text(before),)
    ) as cursor:
        return [(row[0], row[1]) for row in await cursor.fetchall()]


async def draft_flows_of(tx: aiosqlite.Connection, user_id: int) -> set[str]:
    """The flows ``user_id`` still has a draft of."""
    async with tx.execute("SELECT flow FROM drafts WHERE user_id = ?", (user_id,)) as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def forget_conversation(tx: aiosqlite.Connection, name: str, user_id: int) -> None:
    """Delete the stored state of ``user_id``'s conversation ``name`` (PTB's key ends with the user id)."""
    await tx.execute(
        "DELETE FROM ptb_conversations WHERE name = ? AND json_extract(key, '$[#-1]') = ?", (name, user_id)
    )


async def prune_unsent_letters(tx: aiosqlite.Connection, before: datetime) -> int:
    """Delete letters written before ``before`` that were never sent (kept, or cancelled); return how many."""
    cursor = await tx.execute(
        "DELETE FROM letters WHERE status IN ('kept', 'dropped') AND created_at < ?", (to_text(before),)
    )
    return cursor.rowcount


async def untouched_responses(
    tx: aiosqlite.Connection, before: datetime, after_id: int = 0, limit: int = 200
) -> list[Response]:
    """Responses not sent and not touched (no answer, no move) since ``before``, by id from ``after_id`` on."""
    async with tx.execute(
        "SELECT r.id FROM form_responses r WHERE r.status = 'in_progress' AND r.updated_at < ? AND r.id > ? "
        "AND NOT EXISTS (SELECT 1 FROM form_answers a WHERE a.response_id = r.id AND a.answered_at >= ?) "
        "ORDER BY r.id LIMIT ?",
        (to_text(before), after_id, to_text(before), limit),
    ) as cursor:
        ids = [row[0] for row in await cursor.fetchall()]
    found = [await get_response(tx, response_id) for response_id in ids]
    return [response for response in found if response is not None]


async def delete_unsent_responses(tx: aiosqlite.Connection, response_ids: Sequence[int]) -> int:
    """Delete unsent responses with their answers and the typed-text hold on them; a sent one is left alone."""
    ids = [(response_id,) for response_id in response_ids]
    unsent = "SELECT id FROM form_responses WHERE id = ? AND status = 'in_progress'"
    await tx.executemany(f"DELETE FROM form_focus WHERE response_id IN ({unsent})", ids)
    await tx.executemany(f"DELETE FROM form_answers WHERE response_id IN ({unsent})", ids)
    cursor = await tx.executemany("DELETE FROM form_responses WHERE id = ? AND status = 'in_progress'", ids)
    return cursor.rowcount


async def prune_own_runs(tx: aiosqlite.Connection, kind: str, before: datetime) -> int:
    """Delete the finished due messages of ``kind`` (the retention passes themselves) due before ``before``;
    the one running now (claimed) stays for the reminder engine to record."""
    cursor = await tx.execute(
        "DELETE FROM reminders WHERE kind = ? AND status NOT IN ('pending', 'claimed') AND due_at < ?",
        (kind, to_text(before)),
    )
    return cursor.rowcount


async def has_pending_run(tx: aiosqlite.Connection, kind: str) -> bool:
    """Whether a retention pass (a due message of ``kind``) is already booked."""
    async with tx.execute("SELECT 1 FROM reminders WHERE kind = ? AND status = 'pending' LIMIT 1", (kind,)) as cursor:
        return await cursor.fetchone() is not None

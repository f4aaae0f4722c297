"""Answers of a multi-step flow kept until the user confirms (one JSON object per user and flow)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import to_text


async def get_draft(tx: aiosqlite.Connection, user_id: int, flow: str) -> dict[str, Any]:
    """Return the user's draft for ``flow`` (empty when there is none)."""
    async with tx.execute("SELECT data FROM drafts WHERE user_id = ? AND flow = ?", (user_id, flow)) as cursor:
        row = await cursor.fetchone()
    return json.loads(row[0]) if row else {}


async def save_draft_answers(
    tx: aiosqlite.Connection, user_id: int, flow: str, answers: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Store several answers in the user's draft (idempotent) and return the whole draft."""
    draft = await get_draft(tx, user_id, flow)
    draft.update(answers)
    await tx.execute(
        "INSERT INTO drafts (user_id, flow, data, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, flow) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        (user_id, flow, json.dumps(draft, sort_keys=True), to_text(now)),
    )
    return draft


async def save_draft_answer(
    tx: aiosqlite.Connection, user_id: int, flow: str, field: str, value: Any, now: datetime
) -> dict[str, Any]:
    """Store one answer in the user's draft (idempotent) and return the whole draft."""
    return await save_draft_answers(tx, user_id, flow, {field: value}, now)


async def clear_draft(tx: aiosqlite.Connection, user_id: int, flow: str) -> None:
    """Forget the user's draft for ``flow``."""
    await tx.execute("DELETE FROM drafts WHERE user_id = ? AND flow = ?", (user_id, flow))


async def forget_answers(
    tx: aiosqlite.Connection, user_id: int, flow: str, fields: tuple[str, ...], now: datetime
) -> dict[str, Any]:
    """Drop some answers (to ask them again) and return what is left of the draft."""
    draft = await get_draft(tx, user_id, flow)
    if not draft:
        return draft
    for field in fields:
        draft.pop(field, None)
    await tx.execute(
        "UPDATE drafts SET data = ?, updated_at = ? WHERE user_id = ? AND flow = ?",
        (json.dumps(draft, sort_keys=True), to_text(now), user_id, flow),
    )
    return draft

"""Erase a person (UU PDP "penghapusan"): their name, phone and texts go; the cluster's numbers stay.

One call, inside one transaction (``erase_person``): names become ``ERASED_NAME``, phone, home
area and business are removed, free texts (cards, comments, letters, progress notes, text
answers) become ``ERASED_TEXT``; memberships end; attendance, RSVPs, dots, ballots and choice
answers stay as they are, so every count and survey figure of the cluster stays the same. The
person's stored updates, drafts and PTB persistence rows are deleted, outbox rows to them that
are not sent yet are cancelled, and every stored message that named them is scrubbed. Last, what
is left of them (the anonymous numbers) moves to a new shell person with a negative id, which no
Telegram account has and nothing links back to them, and their own users row is deleted: when the
person writes again they are a new person, with no cluster, no language and no past answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import fetch_int
from storage.personal_data import USER_COLUMNS
from storage.timestamps import to_text

ERASED_NAME = "Mantan anggota"  # stored where an erased person's name was; views show "Mantan anggota (dihapus)"
ERASED_TEXT = "(dihapus)"  # stored where an erased person's free text was

# Rows already deleted for the person (or the person's own row): nothing to move to the shell.
_NOT_MOVED = {("users", "id"), ("drafts", "user_id"), ("ptb_user_data", "user_id"), ("ptb_chat_data", "chat_id")}

# Where the sender of a stored update is, by kind of update.
_SENDER_PATHS = (
    "$.message.from.id",
    "$.edited_message.from.id",
    "$.callback_query.from.id",
    "$.my_chat_member.from.id",
    "$.inline_query.from.id",
    "$.message.chat.id",
)


@dataclass(frozen=True)
class Erased:
    """What an erasure removed, counted."""

    memberships: int
    texts: int
    updates: int
    outbox_cancelled: int
    scrubbed: int


def _scrub(value: Any, needles: list[str]) -> Any:
    """``value`` (decoded JSON) with every needle inside its texts replaced by ``ERASED_NAME``."""
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, ERASED_NAME)
        return value
    if isinstance(value, list):
        return [_scrub(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, needles) for k, v in value.items()}
    return value


async def _identifiers(tx: aiosqlite.Connection, user_id: int) -> list[str]:
    """The texts that name the person (profile names, phone, Telegram names and username), longest first."""
    found: set[str] = set()
    queries = (
        "SELECT full_name, phone, NULL, NULL FROM memberships WHERE user_id = ?",
        "SELECT full_name, NULL, NULL, NULL FROM committee_members WHERE user_id = ?",
        "SELECT first_name, last_name, username, trim(first_name || ' ' || coalesce(last_name, '')) "
        "FROM users WHERE id = ?",
    )
    for sql in queries:
        async with tx.execute(sql, (user_id,)) as cursor:
            for row in await cursor.fetchall():
                found.update(v for v in row if isinstance(v, str) and len(v.strip()) >= 3)
    found.discard(ERASED_NAME)
    return sorted(found, key=len, reverse=True)


def _stored_forms(needles: list[str]) -> list[str]:
    """How each needle appears inside stored JSON (non-ASCII letters escaped)."""
    return sorted({form for n in needles for form in (n, json.dumps(n)[1:-1])}, key=len, reverse=True)


async def _scrub_column(tx: aiosqlite.Connection, table: str, key: str, column: str, needles: list[str]) -> int:
    """Scrub the JSON documents in ``table.column`` that mention a needle; how many changed."""
    changed = 0
    for needle in _stored_forms(needles):
        async with tx.execute(f"SELECT {key}, {column} FROM {table} WHERE instr({column}, ?) > 0", (needle,)) as cursor:
            rows = await cursor.fetchall()
        for row_key, text in rows:
            try:
                cleaned = json.dumps(_scrub(json.loads(text), needles))
            except ValueError:
                cleaned = json.dumps(ERASED_TEXT)
            if cleaned != text:
                await tx.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (cleaned, row_key))
                changed += 1
    return changed


async def _erase_texts(tx: aiosqlite.Connection, user_id: int, text_questions: Iterable[tuple[str, int, str]]) -> int:
    """Replace the person's free texts; choice answers, RSVPs and attendance stay."""
    statements = (
        "UPDATE brainstorm_cards SET kind = 'text', text = :erased, file_id = NULL, duration = NULL, "
        "summary = NULL WHERE author_id = :user",
        "UPDATE vision_responses SET comment = NULL WHERE user_id = :user AND comment IS NOT NULL",
        "UPDATE annual_plan_responses SET comment = NULL WHERE user_id = :user AND comment IS NOT NULL",
        "UPDATE plan_checkins SET note = NULL WHERE owner_id = :user AND note IS NOT NULL",
        "DELETE FROM plan_evidence WHERE checkin_id IN (SELECT id FROM plan_checkins WHERE owner_id = :user)",
        "UPDATE meeting_task_owners SET help_note = NULL WHERE user_id = :user AND help_note IS NOT NULL",
        "UPDATE letters SET body = :erased WHERE member_id = :user",
        "UPDATE form_responses SET respondent_name = NULL WHERE respondent_id = :user",
    )
    changed = 0
    for sql in statements:
        cursor = await tx.execute(sql, {"user": user_id, "erased": ERASED_TEXT})
        changed += cursor.rowcount
    erased_value = json.dumps(ERASED_TEXT)
    for form_id, version, question in text_questions:
        cursor = await tx.execute(
            "UPDATE form_answers SET value = ? WHERE question = ? AND response_id IN ("
            " SELECT id FROM form_responses WHERE respondent_id = ? AND form_id = ? AND form_version = ?)",
            (erased_value, question, user_id, form_id, version),
        )
        changed += cursor.rowcount
    return changed


async def _erase_profile(tx: aiosqlite.Connection, user_id: int, phones: list[str], now: datetime) -> int:
    """Names, phone, home area and business go; memberships, committee seats, group leads and positions end."""
    stamp = to_text(now)
    cursor = await tx.execute(
        "UPDATE memberships SET full_name = ?, phone = NULL, home_area = NULL, core_business = NULL, "
        "is_facilitator = 0, is_secretary = 0, left_at = coalesce(left_at, ?) WHERE user_id = ?",
        (ERASED_NAME, stamp, user_id),
    )
    ended = cursor.rowcount
    await tx.execute(
        "UPDATE committee_members SET full_name = ?, left_at = coalesce(left_at, ?) WHERE user_id = ?",
        (ERASED_NAME, stamp, user_id),
    )
    await tx.execute("UPDATE small_groups SET leader_id = NULL WHERE leader_id = ?", (user_id,))
    await tx.execute("UPDATE visits SET who = ? WHERE member_id = ?", (ERASED_NAME, user_id))
    await tx.execute(
        "UPDATE consents SET withdrawn_at = ? WHERE user_id = ? AND withdrawn_at IS NULL", (stamp, user_id)
    )
    await tx.execute("UPDATE plan_activities SET owner_id = NULL WHERE owner_id = ?", (user_id,))
    await tx.execute(
        "UPDATE organisation_positions SET until = ? WHERE user_id = ? AND until IS NULL", (stamp, user_id)
    )
    for phone in phones:
        await tx.execute("UPDATE firms SET contact = NULL WHERE contact = ?", (phone,))
    return ended


async def _forget_chat(tx: aiosqlite.Connection, user_id: int, now: datetime) -> tuple[int, int]:
    """Their stored updates, drafts, persistence and pending messages go; returns (updates, cancelled)."""
    senders = " OR ".join(f"json_extract(payload, '{path}') = :user" for path in _SENDER_PATHS)
    cursor = await tx.execute(f"DELETE FROM inbox WHERE {senders}", {"user": user_id})
    updates = cursor.rowcount
    for sql in (
        "DELETE FROM drafts WHERE user_id = :user",
        "DELETE FROM form_focus WHERE user_id = :user",
        "DELETE FROM broadcast_mutes WHERE user_id = :user",
        "DELETE FROM ptb_user_data WHERE user_id = :user",
        "DELETE FROM ptb_chat_data WHERE chat_id = :user",
        "DELETE FROM ptb_conversations WHERE json_extract(key, '$[0]') = :user OR json_extract(key, '$[1]') = :user",
    ):
        await tx.execute(sql, {"user": user_id})
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'cancelled', reason = 'erased', updated_at = ? "
        "WHERE recipient_id = ? AND status = 'pending'",
        (to_text(now), user_id),
    )
    cancelled = cursor.rowcount
    await tx.execute(
        "UPDATE outbox SET payload = ? WHERE recipient_id = ?",
        (json.dumps({"kind": "text", "text": ERASED_TEXT}), user_id),
    )
    await tx.execute(
        "UPDATE reminders SET status = 'cancelled', outcome = 'erased', done_at = ? WHERE status = 'pending' "
        "AND (json_extract(payload, '$.user') = ? OR json_extract(payload, '$.owner') = ?)",
        (to_text(now), user_id, user_id),
    )
    return updates, cancelled


async def erase_person(
    tx: aiosqlite.Connection, user_id: int, now: datetime, text_questions: Iterable[tuple[str, int, str]]
) -> Erased:
    """Erase ``user_id`` in ``tx`` (see the module's docstring).

    ``text_questions``: the (form id, version, question) of every free-text question, whose
    answers are free text; every other answer is a choice or a number and stays.
    """
    needles = await _identifiers(tx, user_id)
    async with tx.execute("SELECT phone FROM memberships WHERE user_id = ? AND phone IS NOT NULL", (user_id,)) as c:
        phones = [row[0] for row in await c.fetchall()]
    texts = await _erase_texts(tx, user_id, text_questions)
    ended = await _erase_profile(tx, user_id, phones, now)
    updates, cancelled = await _forget_chat(tx, user_id, now)
    scrubbed = 0
    if needles:
        scrubbed += await _scrub_column(tx, "outbox", "id", "payload", needles)
        scrubbed += await _scrub_column(tx, "inbox", "update_id", "payload", needles)
        scrubbed += await _scrub_column(tx, "drafts", "rowid", "data", needles)
        scrubbed += await _scrub_column(tx, "reminders", "id", "payload", needles)
    await _detach(tx, user_id, now)
    return Erased(ended, texts, updates, cancelled, scrubbed)


async def _detach(tx: aiosqlite.Connection, user_id: int, now: datetime) -> int:
    """Move every row still pointing at the person to a new shell person, delete their users row; the shell's id."""
    shell = await fetch_int(tx, "SELECT coalesce(min(id), 0) - 1 FROM users WHERE id < 0")
    stamp = to_text(now)
    await tx.execute(
        "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (?, ?, ?, ?)",
        (shell, ERASED_NAME, stamp, stamp),
    )
    for table, column in USER_COLUMNS:
        if (table, column) not in _NOT_MOVED:
            await tx.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (shell, user_id))
    await tx.execute(
        "UPDATE reminders SET payload = json_set(payload, '$.user', ?) WHERE json_extract(payload, '$.user') = ?",
        (shell, user_id),
    )
    suffix = f":{user_id}"
    await tx.execute(
        "UPDATE reminders SET key = substr(key, 1, length(key) - ?) || ? WHERE key LIKE ?",
        (len(suffix), f":{shell}", f"%{suffix}"),
    )
    await tx.execute("DELETE FROM users WHERE id = ?", (user_id,))
    return shell


async def erased_former_members(tx: aiosqlite.Connection, cluster_id: int) -> int:
    """How many people of the cluster erased their data (the directory names them only by this count)."""
    return await fetch_int(
        tx,
        "SELECT COUNT(*) FROM memberships WHERE cluster_id = ? AND full_name = ? AND left_at IS NOT NULL",
        (cluster_id, ERASED_NAME),
    )

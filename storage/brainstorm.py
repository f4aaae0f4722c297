"""Brainstorming sessions, their participants and their cards (themes and dots: storage/brainstorm_votes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int, inserted_id
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class Session:
    """A brainstorming session of a cluster, a meeting or a small group."""

    id: int
    cluster_id: int
    meeting_id: int | None
    small_group_id: int | None
    question: str
    template: str  # free, swot
    audience: str  # meeting, group, cluster
    anonymous: bool
    dots: int
    phase: str
    facilitator_id: int
    counter_message_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Participant:
    """Someone taking part, with the name the cluster knows them by."""

    user_id: int
    full_name: str


@dataclass(frozen=True)
class Card:
    """One card: text, a voice note or a photo of a paper card."""

    id: int
    session_id: int
    number: int
    author_id: int | None
    author_name: str | None
    entered_by: int
    column: str | None
    kind: str
    text: str | None
    file_id: str | None
    duration: int | None
    summary: str | None
    theme_id: int | None
    withdrawn: bool


_SESSION = (
    "id, cluster_id, meeting_id, small_group_id, question, template, audience, anonymous, dots, phase, "
    "facilitator_id, counter_message_id, created_at"
)
_CARD = (
    "c.id, c.session_id, c.number, c.author_id, COALESCE(m.full_name, u.first_name), c.entered_by, c.swot_column, "
    "c.kind, c.text, c.file_id, c.duration, c.summary, c.theme_id, c.withdrawn_at IS NOT NULL "
    "FROM brainstorm_cards c JOIN brainstorm_sessions s ON s.id = c.session_id "
    "LEFT JOIN users u ON u.id = c.author_id "
    "LEFT JOIN memberships m ON m.cluster_id = s.cluster_id AND m.user_id = c.author_id "
)


def _session(row: aiosqlite.Row) -> Session:
    return Session(
        id=row[0],
        cluster_id=row[1],
        meeting_id=row[2],
        small_group_id=row[3],
        question=row[4],
        template=row[5],
        audience=row[6],
        anonymous=bool(row[7]),
        dots=row[8],
        phase=row[9],
        facilitator_id=row[10],
        counter_message_id=row[11],
        created_at=from_text_required(row[12]),
    )


def _card(row: aiosqlite.Row) -> Card:
    return Card(
        id=row[0],
        session_id=row[1],
        number=row[2],
        author_id=row[3],
        author_name=row[4],
        entered_by=row[5],
        column=row[6],
        kind=row[7],
        text=row[8],
        file_id=row[9],
        duration=row[10],
        summary=row[11],
        theme_id=row[12],
        withdrawn=bool(row[13]),
    )


# -- sessions ---------------------------------------------------------------------------------------


async def create_session(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    meeting_id: int | None,
    small_group_id: int | None,
    question: str,
    template: str,
    audience: str,
    anonymous: bool,
    dots: int,
    facilitator_id: int,
    participant_ids: list[int],
    now: datetime,
    source_update_id: int,
) -> tuple[Session, bool]:
    """Open a session with its participants; the same update opens it once. True when new."""
    async with tx.execute(
        f"SELECT {_SESSION} FROM brainstorm_sessions WHERE source_update_id = ?", (source_update_id,)
    ) as cur:
        row = await cur.fetchone()
    if row:
        return _session(row), False
    cursor = await tx.execute(
        "INSERT INTO brainstorm_sessions (cluster_id, meeting_id, small_group_id, question, template, audience, "
        "anonymous, dots, facilitator_id, created_at, source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            meeting_id,
            small_group_id,
            question,
            template,
            audience,
            int(anonymous),
            dots,
            facilitator_id,
            to_text(now),
            source_update_id,
        ),
    )
    session_id = inserted_id(cursor)
    await tx.executemany(
        "INSERT OR IGNORE INTO brainstorm_participants (session_id, user_id) VALUES (?, ?)",
        [(session_id, user_id) for user_id in participant_ids],
    )
    session = await get_session(tx, session_id)
    assert session is not None
    return session, True


async def get_session(tx: aiosqlite.Connection, session_id: int) -> Session | None:
    """The session with this id."""
    async with tx.execute(f"SELECT {_SESSION} FROM brainstorm_sessions WHERE id = ?", (session_id,)) as cursor:
        row = await cursor.fetchone()
    return _session(row) if row else None


async def sessions_of(tx: aiosqlite.Connection, cluster_id: int) -> list[Session]:
    """The cluster's sessions, newest first."""
    async with tx.execute(
        f"SELECT {_SESSION} FROM brainstorm_sessions WHERE cluster_id = ? ORDER BY id DESC", (cluster_id,)
    ) as cursor:
        return [_session(row) for row in await cursor.fetchall()]


async def move_phase(tx: aiosqlite.Connection, session_id: int, current: str, target: str) -> bool:
    """Move the phase only if it still is ``current`` (a second tap changes nothing). True when moved."""
    cursor = await tx.execute(
        "UPDATE brainstorm_sessions SET phase = ? WHERE id = ? AND phase = ?", (target, session_id, current)
    )
    return cursor.rowcount == 1


async def set_counter_message(
    tx: aiosqlite.Connection, session_id: int, message_id: int | None, shown: str | None
) -> None:
    """Remember which message shows the facilitator the live count, and a fingerprint of its content."""
    await tx.execute(
        "UPDATE brainstorm_sessions SET counter_message_id = ?, counter_shown = ? WHERE id = ?",
        (message_id, shown, session_id),
    )


async def counter_shown(tx: aiosqlite.Connection, session_id: int) -> str | None:
    """The fingerprint of what the live count message shows now."""
    async with tx.execute("SELECT counter_shown FROM brainstorm_sessions WHERE id = ?", (session_id,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def set_counter_shown(tx: aiosqlite.Connection, session_id: int, message_id: int, shown: str) -> bool:
    """Record a new fingerprint, only if the count message is still ``message_id``. True when recorded."""
    cursor = await tx.execute(
        "UPDATE brainstorm_sessions SET counter_shown = ? WHERE id = ? AND counter_message_id = ?",
        (shown, session_id, message_id),
    )
    return cursor.rowcount == 1


async def participants(tx: aiosqlite.Connection, session_id: int) -> list[Participant]:
    """Everyone taking part, by name."""
    async with tx.execute(
        "SELECT p.user_id, COALESCE(m.full_name, u.first_name) FROM brainstorm_participants p "
        "JOIN brainstorm_sessions s ON s.id = p.session_id JOIN users u ON u.id = p.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = s.cluster_id AND m.user_id = p.user_id "
        "WHERE p.session_id = ? ORDER BY 2 COLLATE NOCASE, p.user_id",
        (session_id,),
    ) as cursor:
        return [Participant(*row) for row in await cursor.fetchall()]


async def is_participant(tx: aiosqlite.Connection, session_id: int, user_id: int) -> bool:
    """Whether ``user_id`` takes part in the session."""
    async with tx.execute(
        "SELECT 1 FROM brainstorm_participants WHERE session_id = ? AND user_id = ?", (session_id, user_id)
    ) as cursor:
        return await cursor.fetchone() is not None


async def sessions_of_participant(tx: aiosqlite.Connection, cluster_id: int, user_id: int) -> list[Session]:
    """The cluster's sessions ``user_id`` takes part in or opened, newest first."""
    async with tx.execute(
        f"SELECT {_SESSION} FROM brainstorm_sessions s WHERE cluster_id = ? AND (facilitator_id = ? OR EXISTS "
        "(SELECT 1 FROM brainstorm_participants p WHERE p.session_id = s.id AND p.user_id = ?)) ORDER BY id DESC",
        (cluster_id, user_id, user_id),
    ) as cursor:
        return [_session(row) for row in await cursor.fetchall()]


# -- cards ------------------------------------------------------------------------------------------


async def add_card(
    tx: aiosqlite.Connection,
    session_id: int,
    *,
    author_id: int | None,
    entered_by: int,
    column: str | None,
    kind: str,
    text: str | None,
    file_id: str | None,
    duration: int | None,
    now: datetime,
    source_update_id: int,
) -> tuple[Card, bool]:
    """Store a card with the session's next number; a replayed update stores nothing new. True when new."""
    async with tx.execute(f"SELECT {_CARD} WHERE c.source_update_id = ?", (source_update_id,)) as cursor:
        row = await cursor.fetchone()
    if row:
        return _card(row), False
    cursor = await tx.execute(
        "INSERT INTO brainstorm_cards (session_id, number, author_id, entered_by, swot_column, kind, text, file_id, "
        "duration, created_at, updated_at, source_update_id) VALUES (?, "
        "(SELECT COALESCE(MAX(number), 0) + 1 FROM brainstorm_cards WHERE session_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session_id,
            session_id,
            author_id,
            entered_by,
            column,
            kind,
            text,
            file_id,
            duration,
            to_text(now),
            to_text(now),
            source_update_id,
        ),
    )
    card = await get_card(tx, inserted_id(cursor))
    assert card is not None
    return card, True


async def replace_card(
    tx: aiosqlite.Connection,
    card_id: int,
    *,
    kind: str,
    text: str | None,
    file_id: str | None,
    duration: int | None,
    now: datetime,
) -> None:
    """Put new content on a card (it keeps its number and column)."""
    await tx.execute(
        "UPDATE brainstorm_cards SET kind = ?, text = ?, file_id = ?, duration = ?, updated_at = ? "
        "WHERE id = ? AND withdrawn_at IS NULL",
        (kind, text, file_id, duration, to_text(now), card_id),
    )


async def withdraw_card(tx: aiosqlite.Connection, card_id: int, now: datetime) -> bool:
    """Take a card back; True the first time."""
    cursor = await tx.execute(
        "UPDATE brainstorm_cards SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL", (to_text(now), card_id)
    )
    return cursor.rowcount == 1


async def get_card(tx: aiosqlite.Connection, card_id: int) -> Card | None:
    """The card with this id (withdrawn or not)."""
    async with tx.execute(f"SELECT {_CARD} WHERE c.id = ?", (card_id,)) as cursor:
        row = await cursor.fetchone()
    return _card(row) if row else None


async def cards_of(tx: aiosqlite.Connection, session_id: int, *, author_id: int | None = None) -> list[Card]:
    """The session's cards still standing by number (only one author's, when given)."""
    sql = f"SELECT {_CARD} WHERE c.session_id = ? AND c.withdrawn_at IS NULL"
    params: list[object] = [session_id]
    if author_id is not None:
        sql += " AND c.author_id = ?"
        params.append(author_id)
    async with tx.execute(sql + " ORDER BY c.number", params) as cursor:
        return [_card(row) for row in await cursor.fetchall()]


async def card_counts(tx: aiosqlite.Connection, session_id: int) -> tuple[dict[str | None, int], int]:
    """Cards standing per SWOT column (None for a free question), and how many people sent them."""
    async with tx.execute(
        "SELECT swot_column, COUNT(*) FROM brainstorm_cards WHERE session_id = ? AND withdrawn_at IS NULL "
        "GROUP BY swot_column",
        (session_id,),
    ) as cursor:
        counts = {row[0]: row[1] for row in await cursor.fetchall()}
    authors = await fetch_int(
        tx,
        "SELECT COUNT(DISTINCT author_id) FROM brainstorm_cards WHERE session_id = ? AND withdrawn_at IS NULL",
        (session_id,),
    )
    return counts, authors


async def set_summary(tx: aiosqlite.Connection, card_id: int, summary: str) -> None:
    """The facilitator's one-line summary of a voice or photo card."""
    await tx.execute("UPDATE brainstorm_cards SET summary = ? WHERE id = ?", (summary, card_id))


async def set_card_theme(tx: aiosqlite.Connection, card_id: int, theme_id: int | None) -> None:
    """Put a card into a theme, or take it out (None)."""
    await tx.execute("UPDATE brainstorm_cards SET theme_id = ? WHERE id = ?", (theme_id, card_id))

"""The secret ballot: counts per candidate, turnout apart, paper tallies from the room, lots drawn.

THE BALLOT IS SECRET. ``cast_vote`` adds the voter to ``ballot_turnout`` and
adds one to their candidate's row of ``ballot_counts`` in one transaction.
Neither table has a voter column next to a choice or a time, both are stored
in key order (WITHOUT ROWID), and every count row exists from the moment the
contest opened, so nothing in the database says who chose whom, nor in what
order votes came. A confirm screen leaves only a seal in ``ballot_confirmations`` (a hash
of a one-time key, carried by its Cast button alone, with the candidate), gone once the vote
is cast. ``storage.inbox.forget_payload`` removes the choice from the stored update
that carried it (the inbox keeps every update until it is handled and pruned).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int, inserted_id
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class PaperTally:
    """Paper ballots of one contest, entered by one person and confirmed by a second."""

    id: int
    contest_id: int
    counts: dict[int, int]
    entered_by: int
    witness_id: int
    status: str  # pending, confirmed, rejected
    entered_at: datetime


@dataclass(frozen=True)
class Draw:
    """Lots drawn to settle a tie: the seed, the tied and the outcome."""

    contest_id: int
    seed: str
    tied: tuple[int, ...]
    winner_id: int
    drawn_at: datetime


async def has_voted(tx: aiosqlite.Connection, contest_id: int, user_id: int) -> bool:
    """Whether the person already voted in this contest."""
    async with tx.execute(
        "SELECT 1 FROM ballot_turnout WHERE contest_id = ? AND user_id = ?", (contest_id, user_id)
    ) as cursor:
        return await cursor.fetchone() is not None


async def cast_vote(tx: aiosqlite.Connection, contest_id: int, voter_id: int, candidate_id: int) -> bool:
    """Count one vote: the voter into turnout, +1 for the candidate; False (nothing counted) if they voted already.

    Call inside the transaction that checked the contest is open and the candidate is on it.
    """
    if candidate_id not in await ballot_candidates(tx, contest_id):
        raise ValueError("the candidate is not on this ballot")
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO ballot_turnout (contest_id, user_id) VALUES (?, ?)", (contest_id, voter_id)
    )
    if cursor.rowcount != 1:
        return False
    await tx.execute(
        "UPDATE ballot_counts SET votes = votes + 1 WHERE contest_id = ? AND candidate_id = ?",
        (contest_id, candidate_id),
    )
    await forget_confirmation(tx, contest_id, voter_id)
    return True


async def confirm_choice(tx: aiosqlite.Connection, contest_id: int, voter_id: int, seal: str) -> None:
    """Store the seal of the choice on the voter's confirm screen, replacing an earlier one (never the choice)."""
    await tx.execute(
        "INSERT INTO ballot_confirmations (contest_id, user_id, seal) VALUES (?, ?, ?) "
        "ON CONFLICT (contest_id, user_id) DO UPDATE SET seal = excluded.seal",
        (contest_id, voter_id, seal),
    )


async def confirmed_seal(tx: aiosqlite.Connection, contest_id: int, voter_id: int) -> str | None:
    """The seal of the voter's confirm screen in this contest, or None when they have none open."""
    async with tx.execute(
        "SELECT seal FROM ballot_confirmations WHERE contest_id = ? AND user_id = ?", (contest_id, voter_id)
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def forget_confirmation(tx: aiosqlite.Connection, contest_id: int, voter_id: int) -> None:
    """Drop the voter's confirm screen in this contest (cast, or chosen again)."""
    await tx.execute("DELETE FROM ballot_confirmations WHERE contest_id = ? AND user_id = ?", (contest_id, voter_id))


async def forget_confirmations(tx: aiosqlite.Connection, contest_id: int) -> None:
    """Drop every confirm screen of a contest that closed."""
    await tx.execute("DELETE FROM ballot_confirmations WHERE contest_id = ?", (contest_id,))


async def turnout(tx: aiosqlite.Connection, contest_id: int) -> int:
    """How many voted by phone in a contest."""
    return await fetch_int(tx, "SELECT COUNT(*) FROM ballot_turnout WHERE contest_id = ?", (contest_id,))


async def voters_of(tx: aiosqlite.Connection, contest_id: int) -> set[int]:
    """Who voted by phone in a contest (turnout; never their choices)."""
    async with tx.execute("SELECT user_id FROM ballot_turnout WHERE contest_id = ?", (contest_id,)) as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def ballot_candidates(tx: aiosqlite.Connection, contest_id: int) -> list[int]:
    """The candidates on a ballot."""
    async with tx.execute(
        "SELECT candidate_id FROM ballot_counts WHERE contest_id = ? ORDER BY candidate_id", (contest_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def totals(tx: aiosqlite.Connection, contest_id: int) -> dict[int, tuple[int, int]]:
    """``candidate -> (votes by phone, paper ballots)`` of a contest."""
    async with tx.execute(
        "SELECT candidate_id, votes, paper FROM ballot_counts WHERE contest_id = ?", (contest_id,)
    ) as cursor:
        return {row[0]: (row[1], row[2]) for row in await cursor.fetchall()}


async def paper_ballots(tx: aiosqlite.Connection, contest_id: int) -> int:
    """How many confirmed paper ballots a contest has."""
    return await fetch_int(tx, "SELECT COALESCE(SUM(paper), 0) FROM ballot_counts WHERE contest_id = ?", (contest_id,))


def _tally(row: aiosqlite.Row) -> PaperTally:
    counts = {int(candidate): votes for candidate, votes in json.loads(row[2]).items()}
    return PaperTally(row[0], row[1], counts, row[3], row[4], row[5], from_text_required(row[6]))


_TALLY = "id, contest_id, counts, entered_by, witness_id, status, entered_at"


async def enter_paper(
    tx: aiosqlite.Connection,
    contest_id: int,
    counts: dict[int, int],
    entered_by: int,
    witness_id: int,
    now: datetime,
    source_update_id: int,
) -> tuple[PaperTally, bool]:
    """Record paper ballots awaiting the witness's confirmation; once per update. True when new."""
    async with tx.execute(f"SELECT {_TALLY} FROM paper_tallies WHERE source_update_id = ?", (source_update_id,)) as cur:
        row = await cur.fetchone()
    if row:
        return _tally(row), False
    cursor = await tx.execute(
        "INSERT INTO paper_tallies (contest_id, counts, entered_by, witness_id, entered_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            contest_id,
            json.dumps({str(k): v for k, v in sorted(counts.items())}),
            entered_by,
            witness_id,
            to_text(now),
            source_update_id,
        ),
    )
    tally = await get_paper(tx, inserted_id(cursor))
    if tally is None:
        raise RuntimeError("the paper tally just entered was not stored")
    return tally, True


async def get_paper(tx: aiosqlite.Connection, tally_id: int) -> PaperTally | None:
    """One paper tally by id."""
    async with tx.execute(f"SELECT {_TALLY} FROM paper_tallies WHERE id = ?", (tally_id,)) as cursor:
        row = await cursor.fetchone()
    return _tally(row) if row else None


async def pending_paper(tx: aiosqlite.Connection, contest_ids: list[int]) -> list[PaperTally]:
    """Paper tallies still waiting for their witness, in these contests."""
    if not contest_ids:
        return []
    marks = ", ".join("?" for _ in contest_ids)
    async with tx.execute(
        f"SELECT {_TALLY} FROM paper_tallies WHERE status = 'pending' AND contest_id IN ({marks}) ORDER BY id",
        contest_ids,
    ) as cursor:
        return [_tally(row) for row in await cursor.fetchall()]


async def decide_paper(tx: aiosqlite.Connection, tally_id: int, confirm: bool, now: datetime) -> bool:
    """Confirm a pending tally (its ballots are added to the counts, once) or reject it; False if not pending."""
    cursor = await tx.execute(
        "UPDATE paper_tallies SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
        ("confirmed" if confirm else "rejected", to_text(now), tally_id),
    )
    if cursor.rowcount != 1:
        return False
    tally = await get_paper(tx, tally_id)
    if confirm and tally is not None:
        await tx.executemany(
            "UPDATE ballot_counts SET paper = paper + ? WHERE contest_id = ? AND candidate_id = ?",
            [(votes, tally.contest_id, candidate) for candidate, votes in tally.counts.items()],
        )
    return True


async def record_draw(
    tx: aiosqlite.Connection, contest_id: int, seed: str, tied: list[int], winner_id: int, now: datetime
) -> Draw:
    """Store lots drawn for a contest (the first draw stands) and return the recorded draw."""
    await tx.execute(
        "INSERT OR IGNORE INTO election_draws (contest_id, seed, tied, winner_id, drawn_at) VALUES (?, ?, ?, ?, ?)",
        (contest_id, seed, json.dumps(sorted(tied)), winner_id, to_text(now)),
    )
    draw = await get_draw(tx, contest_id)
    assert draw is not None
    return draw


async def get_draw(tx: aiosqlite.Connection, contest_id: int) -> Draw | None:
    """The lots drawn for a contest, if any."""
    async with tx.execute(
        "SELECT contest_id, seed, tied, winner_id, drawn_at FROM election_draws WHERE contest_id = ?", (contest_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return Draw(row[0], row[1], tuple(json.loads(row[2])), row[3], from_text_required(row[4]))

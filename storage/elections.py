"""Board elections: the election, its positions, candidates and contests (one ballot per position and round).

Votes themselves are in ``storage/ballots.py``, kept apart so that reading
who stood and who won never comes near the secret ballot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class Election:
    """An election of the cluster organisation's board."""

    id: int
    cluster_id: int
    voters: str  # members, meeting
    meeting_id: int | None
    candidacy: str  # nomination, recommendation
    tie_rule: str  # runoff, lots
    status: str  # nominating, voting, closed
    created_by: int
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    announced_at: datetime | None


@dataclass(frozen=True)
class Position:
    """A position being elected, with its result once decided."""

    election_id: int
    position: str
    winner_id: int | None
    decided_by: str | None  # votes, runoff, lots, unopposed, vacant


@dataclass(frozen=True)
class Candidate:
    """A person proposed for a position (candidacies are public)."""

    election_id: int
    position: str
    user_id: int
    full_name: str
    proposed_by: int
    source: str  # nominated, recommended
    status: str  # pending, accepted, declined
    is_member: bool


@dataclass(frozen=True)
class Contest:
    """One ballot: a position in one round."""

    id: int
    election_id: int
    position: str
    round: int
    status: str  # open, closed
    opened_at: datetime
    closed_at: datetime | None
    eligible: int | None

    @property
    def open(self) -> bool:
        """Whether votes are taken."""
        return self.status == "open"


_ELECTION = (
    "id, cluster_id, voters, meeting_id, candidacy, tie_rule, status, created_by, created_at, opened_at, closed_at, "
    "announced_at"
)
_CONTEST = "id, election_id, position, round, status, opened_at, closed_at, eligible"


def _election(row: aiosqlite.Row) -> Election:
    return Election(
        id=row[0],
        cluster_id=row[1],
        voters=row[2],
        meeting_id=row[3],
        candidacy=row[4],
        tie_rule=row[5],
        status=row[6],
        created_by=row[7],
        created_at=from_text_required(row[8]),
        opened_at=from_text(row[9]),
        closed_at=from_text(row[10]),
        announced_at=from_text(row[11]),
    )


def _contest(row: aiosqlite.Row) -> Contest:
    return Contest(
        id=row[0],
        election_id=row[1],
        position=row[2],
        round=row[3],
        status=row[4],
        opened_at=from_text_required(row[5]),
        closed_at=from_text(row[6]),
        eligible=row[7],
    )


async def create_election(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    positions: list[str],
    voters: str,
    meeting_id: int | None,
    candidacy: str,
    tie_rule: str,
    created_by: int,
    now: datetime,
    source_update_id: int,
) -> tuple[Election, bool]:
    """Create the election with its positions; the same update creates it once. True when new."""
    async with tx.execute(f"SELECT {_ELECTION} FROM elections WHERE source_update_id = ?", (source_update_id,)) as cur:
        row = await cur.fetchone()
    if row:
        return _election(row), False
    cursor = await tx.execute(
        "INSERT INTO elections (cluster_id, voters, meeting_id, candidacy, tie_rule, created_by, created_at, "
        "source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, voters, meeting_id, candidacy, tie_rule, created_by, to_text(now), source_update_id),
    )
    election_id = inserted_id(cursor)
    await tx.executemany(
        "INSERT INTO election_positions (election_id, position) VALUES (?, ?)", [(election_id, p) for p in positions]
    )
    return await load_election(tx, election_id), True


async def get_election(tx: aiosqlite.Connection, election_id: int) -> Election | None:
    """The election with this id."""
    async with tx.execute(f"SELECT {_ELECTION} FROM elections WHERE id = ?", (election_id,)) as cursor:
        row = await cursor.fetchone()
    return _election(row) if row else None


async def load_election(tx: aiosqlite.Connection, election_id: int) -> Election:
    """An election that must exist (elections are never deleted): raises LookupError otherwise."""
    election = await get_election(tx, election_id)
    if election is None:
        raise LookupError(f"no election {election_id}")
    return election


async def elections_of(tx: aiosqlite.Connection, cluster_id: int) -> list[Election]:
    """The cluster's elections, newest first."""
    async with tx.execute(
        f"SELECT {_ELECTION} FROM elections WHERE cluster_id = ? ORDER BY id DESC", (cluster_id,)
    ) as cursor:
        return [_election(row) for row in await cursor.fetchall()]


async def set_status(tx: aiosqlite.Connection, election_id: int, status: str, now: datetime) -> None:
    """Move the election on: ``voting`` records when it opened, ``closed`` when it ended."""
    column = {"voting": "opened_at", "closed": "closed_at"}[status]
    await tx.execute(
        f"UPDATE elections SET status = ?, {column} = COALESCE({column}, ?) WHERE id = ?",
        (status, to_text(now), election_id),
    )


async def mark_announced(tx: aiosqlite.Connection, election_id: int, now: datetime) -> bool:
    """Record the announcement; True the first time."""
    cursor = await tx.execute(
        "UPDATE elections SET announced_at = ? WHERE id = ? AND announced_at IS NULL", (to_text(now), election_id)
    )
    return cursor.rowcount == 1


async def positions_of(tx: aiosqlite.Connection, election_id: int) -> list[Position]:
    """The positions of an election, in the order they were set up."""
    async with tx.execute(
        "SELECT election_id, position, winner_id, decided_by FROM election_positions WHERE election_id = ? ORDER BY rowid",
        (election_id,),
    ) as cursor:
        return [Position(*row) for row in await cursor.fetchall()]


async def decide_position(
    tx: aiosqlite.Connection, election_id: int, position: str, winner_id: int | None, decided_by: str
) -> None:
    """Record who won a position (or that it stays vacant)."""
    await tx.execute(
        "UPDATE election_positions SET winner_id = ?, decided_by = ? WHERE election_id = ? AND position = ?",
        (winner_id, decided_by, election_id, position),
    )


async def propose(
    tx: aiosqlite.Connection,
    election_id: int,
    position: str,
    user_id: int,
    proposed_by: int,
    source: str,
    now: datetime,
) -> bool:
    """Propose a candidate: a nomination waits for their answer, a facilitator's recommendation stands. True when new."""
    status = "accepted" if source == "recommended" else "pending"
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO election_candidates (election_id, position, user_id, proposed_by, source, status, "
        "proposed_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            election_id,
            position,
            user_id,
            proposed_by,
            source,
            status,
            to_text(now),
            to_text(now) if source == "recommended" else None,
        ),
    )
    return cursor.rowcount == 1


async def answer_nomination(
    tx: aiosqlite.Connection, election_id: int, position: str, user_id: int, accept: bool, now: datetime
) -> bool:
    """The nominee accepts or declines; False when there was no pending nomination."""
    cursor = await tx.execute(
        "UPDATE election_candidates SET status = ?, answered_at = ? "
        "WHERE election_id = ? AND position = ? AND user_id = ? AND status = 'pending'",
        ("accepted" if accept else "declined", to_text(now), election_id, position, user_id),
    )
    return cursor.rowcount == 1


async def candidates_of(tx: aiosqlite.Connection, election_id: int, position: str | None = None) -> list[Candidate]:
    """The candidates of an election (or one position), by name, with whether they are still members."""
    sql = (
        "SELECT c.election_id, c.position, c.user_id, COALESCE(m.full_name, u.first_name), c.proposed_by, c.source, "
        "c.status, m.user_id IS NOT NULL AND m.left_at IS NULL "
        "FROM election_candidates c JOIN elections e ON e.id = c.election_id JOIN users u ON u.id = c.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = e.cluster_id AND m.user_id = c.user_id WHERE c.election_id = ?"
    )
    params: list[object] = [election_id]
    if position is not None:
        sql += " AND c.position = ?"
        params.append(position)
    async with tx.execute(sql + " ORDER BY 4 COLLATE NOCASE, c.user_id", params) as cursor:
        rows = await cursor.fetchall()
    return [
        Candidate(
            election_id=row[0],
            position=row[1],
            user_id=row[2],
            full_name=row[3],
            proposed_by=row[4],
            source=row[5],
            status=row[6],
            is_member=bool(row[7]),
        )
        for row in rows
    ]


async def open_contest(
    tx: aiosqlite.Connection, election_id: int, position: str, round_no: int, candidate_ids: list[int], now: datetime
) -> Contest:
    """Open a ballot with a zero count for every candidate, created now, before any vote (see ballots.py)."""
    await tx.execute(
        "INSERT OR IGNORE INTO election_contests (election_id, position, round, opened_at) VALUES (?, ?, ?, ?)",
        (election_id, position, round_no, to_text(now)),
    )
    async with tx.execute(
        f"SELECT {_CONTEST} FROM election_contests WHERE election_id = ? AND position = ? AND round = ?",
        (election_id, position, round_no),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise RuntimeError(f"the contest of election {election_id} for {position}, round {round_no}, was not stored")
    contest = _contest(row)
    await tx.executemany(
        "INSERT OR IGNORE INTO ballot_counts (contest_id, candidate_id) VALUES (?, ?)",
        [(contest.id, candidate) for candidate in sorted(candidate_ids)],
    )
    return contest


async def get_contest(tx: aiosqlite.Connection, contest_id: int) -> Contest | None:
    """One ballot by id."""
    async with tx.execute(f"SELECT {_CONTEST} FROM election_contests WHERE id = ?", (contest_id,)) as cursor:
        row = await cursor.fetchone()
    return _contest(row) if row else None


async def load_contest(tx: aiosqlite.Connection, contest_id: int) -> Contest:
    """A ballot that must exist (ballots are never deleted): raises LookupError otherwise."""
    contest = await get_contest(tx, contest_id)
    if contest is None:
        raise LookupError(f"no election contest {contest_id}")
    return contest


async def contests_of(tx: aiosqlite.Connection, election_id: int) -> list[Contest]:
    """Every ballot of the election, by position and round."""
    async with tx.execute(
        f"SELECT {_CONTEST} FROM election_contests WHERE election_id = ? ORDER BY id", (election_id,)
    ) as cursor:
        return [_contest(row) for row in await cursor.fetchall()]


async def close_contest(tx: aiosqlite.Connection, contest_id: int, eligible: int, now: datetime) -> bool:
    """Stop taking votes and record how many could vote; True the first time."""
    cursor = await tx.execute(
        "UPDATE election_contests SET status = 'closed', closed_at = ?, eligible = ? WHERE id = ? AND status = 'open'",
        (to_text(now), eligible, contest_id),
    )
    return cursor.rowcount == 1

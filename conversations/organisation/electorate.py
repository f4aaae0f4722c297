"""Who may vote in an election, read from the membership and attendance records."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from conversations.organisation.rules import Voter
from storage import meetings, memberships
from storage.elections import Election


async def voter_of(conn: aiosqlite.Connection, election: Election, user_id: int) -> Voter:
    """What eligibility needs to know about one person."""
    member = await memberships.get_membership(conn, election.cluster_id, user_id)
    present = False
    if election.voters == "meeting" and election.meeting_id is not None:
        present = user_id in await meetings.present(conn, election.meeting_id)
    return Voter(
        is_member=bool(member and member.active), joined_at=member.joined_at if member else None, present=present
    )


async def eligible_voters(conn: aiosqlite.Connection, election: Election, opened_at: datetime) -> list[int]:
    """Everyone who may vote now: members (who joined before the voting opened), or those checked in to the meeting."""
    everyone, _total = await memberships.directory(conn, election.cluster_id)
    if election.voters == "meeting" and election.meeting_id is not None:
        present = await meetings.present(conn, election.meeting_id)
        return [m.user_id for m in everyone if m.user_id in present]
    return [m.user_id for m in everyone if m.joined_at <= opened_at]

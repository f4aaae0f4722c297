"""What the organisation's steps start from: the tapped button as a typed value, and the election a
facilitator's button names (checked once for every step that runs an election)."""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.permissions import require
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.organisation import rules
from storage import elections
from storage.elections import Election


def election_id_of(update: Update) -> int | None:
    """The election id in ``og1:<key>:<id>`` data."""
    tap = rules.parse_tap(query_of(update).data)
    return tap.target if tap else None


async def managed_election(update: Update, context: RembugContext, election_id: int | None) -> Election | None:
    """The election of the sender's cluster, when they may run it; else refuse and return None."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return None
    async with context.db.read() as conn:
        election = await elections.get_election(conn, election_id) if election_id else None
    if election is None or election.cluster_id != context.standing.cluster_id:
        await explain_stale(update, context)
        return None
    return election

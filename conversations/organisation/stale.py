"""Old election buttons speak: a ballot of a closed vote says the voting has closed, with the way on."""

from __future__ import annotations

import aiosqlite
from telegram import InlineKeyboardButton

from bot.buttons import callback_data
from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from bot.stale_rules import Verdict
from conversations.organisation.election_rules import election_verdict, parse_ballot_tap
from conversations.organisation.rules import PREFIX, parse_tap
from storage import elections

ELECTION_KEYS = frozenset({"b", "e", "nn", "ex", "exy"})  # buttons naming an election (``parse_tap``'s target)


async def explain_election(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the election (or the ballot) an old ``og1`` button is about."""
    plain = parse_tap(tap.data)
    ballot = next((b for kind in ("bc", "bp", "bx") if (b := parse_ballot_tap(tap.data, kind))), None)
    contest = await elections.get_contest(conn, ballot.contest) if ballot else None
    election_id = contest.election_id if contest else plain.target if plain and plain.key in ELECTION_KEYS else None
    election = await elections.get_election(conn, election_id) if election_id else None
    if election is None:
        return None
    here = await belongs_here(conn, tap, election.cluster_id)
    if here is not True:
        return here or None  # left it, or works elsewhere now; nothing for a stranger
    verdict = election_verdict(election.status, contest.open if contest else None)
    return election_explanation(tap.lang, verdict) if verdict else None


def election_explanation(lang: str, verdict: Verdict) -> Explanation:
    """The sentence for an election's verdict; the way on: the organisation's page (the board, the results)."""
    _ = translator(lang).gettext
    if verdict is Verdict.FINISHED:
        toast = _("This election is over.")
        text = _("This election is over: the voting has closed and the votes were counted.")
    else:
        toast = _("The voting has closed. Votes are no longer taken.")
        text = _("The voting on this ballot has closed; votes are no longer taken.")
    home = InlineKeyboardButton(_("🏛 Organisation"), callback_data=callback_data(PREFIX, "home"))
    return Explanation(toast, text, (home,))


def register(application: RembugApplication) -> None:
    """Let old election buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_election)

"""The organisation's rules as plain functions: positions, versions, answers, eligibility, counting, ties.

No ``telegram``, no ``aiosqlite``: the handlers read the database, call these,
and store what they decide, so each rule is tested on its own.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.buttons import button_number

PREFIX = "og1"
# ANNEX-2 Step 5: chair, vice chair, head of administration, audit, accounts (treasurer), protocol.
POSITIONS = ("chair", "vice_chair", "secretary", "treasurer", "admin_head", "auditor", "protocol")
VOTERS = ("members", "meeting")
CANDIDACY = ("nomination", "recommendation")
TIE_RULES = ("runoff", "lots")
WINDOW_DAYS = (1, 3, 7)
DEFAULT_WINDOW_DAYS = 3
NUDGE_BEFORE = timedelta(days=1)  # members who have not answered a draft are reminded this long before it closes
VISION_LIMIT = 3000
COMMENT_LIMIT = 500
SECTION_LIMIT = 3000
MAX_SECTIONS = 30
MAX_PAPER = 1000
RESULTS_PAGE = 4  # positions on one page of an election's results
RESULTS_CANDIDATES = 10  # candidates listed with their votes in one round; the rest are counted
RESULTS_MAX_PAGE = 99  # beyond any election: a bigger page number is forged


@dataclass(frozen=True)
class Tap:
    """An organisation button and what it names: ``og1:<key>:<target>`` (an election, a contest, a version,
    a meeting (0: none), a witness, a tally, a window of days), then for some keys a position (``word``)
    and a second number (a meeting, a member, a page)."""

    key: str
    target: int
    word: str | None = None
    number: int | None = None


# The parts after the key of each button that names something ("int" a number, "word" a position).
_ONE_NUMBER = ("vr", "vp", "vs", "va", "vc", "rk", "rmt", "e", "ra", "eo", "eoy", "ex", "exy", "ea", "nn", "b")
TAP_SHAPES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((*_ONE_NUMBER, "pp", "pq", "pw", "pc", "px"), ("int",)),
    "vpm": ("int", "int"),
    "rr": ("int", "int"),
    **dict.fromkeys(("rp", "rc", "np", "nm"), ("int", "word", "int")),
    **dict.fromkeys(("ny", "nd"), ("int", "word")),
}


def parse_tap(data: str | None) -> Tap | None:
    """The organisation button in ``data`` as a typed value; None when it is stale, forged, of another
    flow, or one of the set-up, ballot and results buttons (``election_rules``, ``parse_results_page``)."""
    pieces = (data or "").split(":")
    if len(pieces) < 3 or pieces[0] != PREFIX or pieces[1] not in TAP_SHAPES:
        return None
    key, rest, shape = pieces[1], pieces[2:], TAP_SHAPES[pieces[1]]
    if len(rest) != len(shape):
        return None
    numbers = [
        n for part, kind in zip(rest, shape, strict=True) if kind == "int" and (n := button_number(part)) is not None
    ]
    words = [part for part, kind in zip(rest, shape, strict=True) if kind == "word" and part in POSITIONS]
    if len(numbers) + len(words) != len(shape):
        return None
    return Tap(key, numbers[0], words[0] if words else None, numbers[1] if len(numbers) > 1 else None)


@dataclass(frozen=True)
class ResultsPage:
    """A tap on an election's results: the election and the page of positions to show."""

    election_id: int
    page: int


def parse_results_page(data: str | None) -> ResultsPage | None:
    """``og1:es:<election>`` (the first page) or ``og1:es:<election>:<page>``; None when stale or forged."""
    pieces = (data or "").split(":")
    if pieces[:2] != [PREFIX, "es"] or len(pieces) not in (3, 4):
        return None
    election_id = button_number(pieces[2])
    page = button_number(pieces[3]) if len(pieces) == 4 else 0
    if election_id is None or page is None or page > RESULTS_MAX_PAGE:
        return None
    return ResultsPage(election_id, page)


class MeetingLike(Protocol):
    """What the organisation's rules read of a meeting (``storage.meetings.Meeting`` has it)."""

    @property
    def cluster_id(self) -> int: ...

    @property
    def cancelled(self) -> bool: ...


def rules_draft_ready(draft: Mapping[str, Any], cluster_id: int | None) -> bool:
    """Whether a new version of the rules can be stored from the draft: it was begun in the sender's
    current cluster and holds a file or at least one section."""
    return draft.get("cluster_id") == cluster_id and bool(draft.get("file_id") or draft.get("sections"))


def adopting_meeting_fits(meeting: MeetingLike | None, cluster_id: int) -> bool:
    """Whether a meeting named as the one that adopted a text is a meeting of the cluster that took place."""
    return meeting is not None and meeting.cluster_id == cluster_id and not meeting.cancelled


def vision_draft_ready(draft: Mapping[str, Any], cluster_id: int | None, window_days: int) -> bool:
    """Whether a typed draft of the vision and mission can be sent for ``window_days``: it was begun in the
    sender's current cluster, has its text, and the window is one offered."""
    return "text" in draft and draft.get("cluster_id") == cluster_id and window_days in WINDOW_DAYS


def can_adopt(
    version_cluster_id: int, version_status: str, is_latest: bool, meeting: MeetingLike | None, cluster_id: int
) -> bool:
    """Whether a version of the vision and mission may be recorded as adopted at ``meeting``: the cluster's
    newest version, not adopted yet, at a meeting of the same cluster that was not cancelled."""
    return (
        version_cluster_id == cluster_id
        and is_latest
        and version_status != "adopted"
        and adopting_meeting_fits(meeting, cluster_id)
    )


def next_number(existing: Iterable[int]) -> int:
    """The number of the next version: one more than the highest (1 for the first)."""
    return max(existing, default=0) + 1


def clean_text(text: str | None, limit: int) -> tuple[str | None, str | None]:
    """Typed text trimmed, or why it was refused ("empty", "too_long")."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None, "empty"
    if len(cleaned) > limit:
        return None, "too_long"
    return cleaned, None


class AnswerProblem(StrEnum):
    """Why an answer to a draft of the vision and mission was refused."""

    CLOSED = "closed"
    SUPERSEDED = "superseded"
    NOT_MEMBER = "not_member"


def check_vision_answer(status: str, closes_at: datetime, now: datetime, is_member: bool) -> AnswerProblem | None:
    """A member answers the current draft while its window is open."""
    if not is_member:
        return AnswerProblem.NOT_MEMBER
    if status != "consulting":
        return AnswerProblem.SUPERSEDED
    if now >= closes_at:
        return AnswerProblem.CLOSED
    return None


def vision_window(now: datetime, days: int) -> tuple[datetime, datetime | None]:
    """When a draft closes, and when the non-answering are nudged (None when the window is too short)."""
    closes_at = now + timedelta(days=days)
    nudge = closes_at - NUDGE_BEFORE
    return closes_at, nudge if nudge > now + timedelta(hours=6) else None


@dataclass(frozen=True)
class Responses:
    """How members answered one draft."""

    agree: int
    change: int
    comments: int


def summarise_responses(answers: Iterable[tuple[str, str | None]]) -> Responses:
    """Count ``(answer, comment)`` pairs."""
    answers = list(answers)
    return Responses(
        agree=sum(1 for answer, _ in answers if answer == "agree"),
        change=sum(1 for answer, _ in answers if answer == "change"),
        comments=sum(1 for _, comment in answers if comment),
    )


# -- elections ---------------------------------------------------------------------------


class VoteProblem(StrEnum):
    """Why a vote (or a tap on a ballot) was refused; nothing is counted."""

    CLOSED = "closed"
    NOT_MEMBER = "not_member"
    JOINED_LATE = "joined_late"
    NOT_PRESENT = "not_present"
    ALREADY_VOTED = "already_voted"
    NOT_A_CANDIDATE = "not_a_candidate"
    CANDIDATE_LEFT = "candidate_left"
    NOT_CONFIRMED = "not_confirmed"  # a cast that did not come from the voter's latest confirm screen


@dataclass(frozen=True)
class Voter:
    """What eligibility needs to know about the person who taps a ballot."""

    is_member: bool
    joined_at: datetime | None
    present: bool  # checked in to the election's meeting


def eligibility(voters: str, voter: Voter, opened_at: datetime) -> VoteProblem | None:
    """Who may vote: active members who joined before the voting opened; with ``meeting``, only those checked in."""
    if not voter.is_member:
        return VoteProblem.NOT_MEMBER
    if voters == "meeting":
        return None if voter.present else VoteProblem.NOT_PRESENT
    if voter.joined_at is not None and voter.joined_at > opened_at:
        return VoteProblem.JOINED_LATE
    return None


def check_vote(
    contest_open: bool,
    eligible: VoteProblem | None,
    already_voted: bool,
    candidates: Mapping[int, bool],
    choice: int | None,
) -> VoteProblem | None:
    """Whether a vote for ``choice`` (None: only opening the ballot) may be cast now.

    ``candidates`` maps each candidate on this ballot to whether they are still a member.
    """
    if not contest_open:
        return VoteProblem.CLOSED
    if eligible is not None:
        return eligible
    if already_voted:
        return VoteProblem.ALREADY_VOTED
    if choice is None:
        return None
    if choice not in candidates:
        return VoteProblem.NOT_A_CANDIDATE
    if not candidates[choice]:
        return VoteProblem.CANDIDATE_LEFT
    return None


class NominationProblem(StrEnum):
    """Why a nomination or a nominee's answer was refused."""

    CLOSED = "closed"
    NOT_MEMBER = "not_member"
    ALREADY = "already"
    OTHER_POSITION = "other_position"
    DECLINED_BEFORE = "declined_before"


def check_nomination(
    status: str, nominee_is_member: bool, standing: Mapping[str, str], position: str
) -> NominationProblem | None:
    """A member may be proposed while nominations are open, once, and for one position per election.

    ``standing`` maps each position the nominee was already proposed for to that candidacy's status.
    """
    if status != "nominating":
        return NominationProblem.CLOSED
    if not nominee_is_member:
        return NominationProblem.NOT_MEMBER
    if standing.get(position) == "declined":
        return NominationProblem.DECLINED_BEFORE
    if position in standing:
        return NominationProblem.ALREADY
    if any(state != "declined" for state in standing.values()):
        return NominationProblem.OTHER_POSITION
    return None


def ballot_of(candidates: Iterable[tuple[int, str, bool]]) -> list[int]:
    """Who goes on the ballot: candidates who accepted and are still members (``(user, status, member)``)."""
    return [user for user, status, member in candidates if status == "accepted" and member]


@dataclass(frozen=True)
class Outcome:
    """What a count says: one winner, a tie at the top, or no votes at all."""

    kind: str  # "winner", "tie", "no_votes"
    winner: int | None = None
    tied: tuple[int, ...] = ()


def count(totals: Mapping[int, int]) -> Outcome:
    """The candidate with the most votes (phone and paper together), or the tied at the top."""
    if not totals or max(totals.values()) == 0:
        return Outcome("no_votes")
    top = max(totals.values())
    leaders = tuple(sorted(candidate for candidate, votes in totals.items() if votes == top))
    if len(leaders) == 1:
        return Outcome("winner", winner=leaders[0])
    return Outcome("tie", tied=leaders)


def settle(outcome: Outcome, tie_rule: str, round_no: int) -> str:
    """What follows a count: "elected", "vacant", "runoff" or "lots".

    A tie goes to a run-off between the tied when the cluster chose run-offs; a
    run-off that ties again is settled by lots, so an election always ends.
    """
    if outcome.kind == "winner":
        return "elected"
    if outcome.kind == "no_votes":
        return "vacant"
    if tie_rule == "runoff" and round_no == 1:
        return "runoff"
    return "lots"


def new_seed() -> str:
    """A fresh, unpredictable seed for drawing lots (stored with the outcome)."""
    return secrets.token_hex(16)


def draw_lots(tied: Iterable[int], seed: str) -> int:
    """The winner drawn from the tied: the same seed and candidates always give the same winner."""
    ordered = sorted(set(tied))
    if len(ordered) < 2:
        raise ValueError("lots are drawn between at least two candidates")
    return random.Random(seed).choice(ordered)


@dataclass(frozen=True)
class Turnout:
    """How many voted in one contest, out of how many could."""

    by_phone: int
    on_paper: int
    eligible: int

    @property
    def voted(self) -> int:
        """Everyone who voted, by phone or on paper."""
        return self.by_phone + self.on_paper

    @property
    def rate(self) -> float:
        """Voted over eligible (0 when nobody could vote); paper voters may be counted beyond the list."""
        return min(self.voted / self.eligible, 1.0) if self.eligible else 0.0


def parse_paper_count(text: str | None) -> int | None:
    """A typed number of paper ballots, 0 to 1,000."""
    cleaned = (text or "").strip()
    if not cleaned.isdigit() or int(cleaned) > MAX_PAPER:
        return None
    return int(cleaned)


class WitnessProblem(StrEnum):
    """Why a paper tally cannot be confirmed by this person."""

    SAME_PERSON = "same_person"
    NOT_NAMED = "not_named"
    DONE = "done"
    CLOSED = "closed"


def check_witness(
    entered_by: int, witness_id: int, tapped_by: int, status: str, contest_open: bool
) -> WitnessProblem | None:
    """Only the named second person confirms a pending tally, and only while the contest is open."""
    if tapped_by == entered_by:
        return WitnessProblem.SAME_PERSON
    if tapped_by != witness_id:
        return WitnessProblem.NOT_NAMED
    if status != "pending":
        return WitnessProblem.DONE
    if not contest_open:
        return WitnessProblem.CLOSED
    return None


def may_witness(is_facilitator: bool, is_secretary: bool, leads_group: bool, holds_position: bool) -> bool:
    """A second facilitator or a board member (secretary, group leader, office holder) may confirm paper ballots."""
    return is_facilitator or is_secretary or leads_group or holds_position


def voted_by_phone(eligible: Iterable[int], voters_per_ballot: Iterable[Iterable[int]]) -> tuple[int, int]:
    """How many of the eligible voters have voted by phone on at least one open ballot, and how many may vote."""
    people = set(eligible)
    voted = {voter for voters in voters_per_ballot for voter in voters}
    return len(people & voted), len(people)
